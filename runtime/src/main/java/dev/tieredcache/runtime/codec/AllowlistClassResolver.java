package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.ObjectMap;

/**
 * Kryo's class resolver, changed at the one place where a payload names a class: the name is checked against the
 * rule's {@link ClassAllowlist} before {@code Class.forName(name, false, loader)}, so a refused class is never
 * loaded, initialised or instantiated. Writing applies the same check, so a value the decoder would refuse fails
 * when it is stored, with the same message, instead of turning into a miss on every read.
 *
 * <p>Unlike Kryo's resolver this one does not retry with Kryo's own class loader when the rule's loader does
 * not know a name: the rule's loader is the only one that decides what a name means.
 */
final class AllowlistClassResolver extends DefaultClassResolver {

  private final ClassAllowlist allowlist;
  private final ClassLoader loader;

  AllowlistClassResolver(ClassAllowlist allowlist, ClassLoader loader) {
    this.allowlist = allowlist;
    this.loader = loader;
  }

  static CodecException refusal(String className) {
    if (ClassAllowlist.NEVER_DECODED.contains(className)) {
      return new CodecException("class " + className + " is never stored in or read from Redis: its equals and"
          + " hashCode resolve host names; declare the field as java.net.URI instead");
    }
    return new CodecException("class " + className
        + " is not allowed for this rule; add it to allow-types: if it is yours");
  }

  /**
   * Makes {@code kryo} refuse the {@link ClassAllowlist#NEVER_DECODED} classes also where no name is written: a
   * field whose declared type is a final class (as {@code java.net.URL} is) is read with that class's serializer
   * directly, without its name passing through this resolver.
   */
  static void refuseNeverDecoded(Kryo kryo) {
    for (String name : ClassAllowlist.NEVER_DECODED) {
      try {
        kryo.addDefaultSerializer(Class.forName(name, false, null), new Serializer<Object>() {
          @Override
          public void write(Kryo k, Output output, Object object) {
            throw refusal(name);
          }

          @Override
          public Object read(Kryo k, Input input, Class<?> type) {
            throw refusal(name);
          }
        });
      } catch (ClassNotFoundException notInThisJdk) {
        // nothing to refuse
      }
    }
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected void writeName(Output output, Class type, Registration registration) {
    // Kryo maps a class to the registration of the class it is serialized as (an enum constant's body class to
    // its enum, an EnumSet implementation to EnumSet); the reader needs only that class, so write its name.
    Class<?> named = registration.getType();
    if (!allowlist.allows(named.getName())) {
      throw refusal(named.getName());
    }
    super.writeName(output, named, registration);
  }

  @Override
  protected Registration readName(Input input) {
    int nameId = input.readVarInt(true);
    if (nameIdToClass == null) {
      nameIdToClass = new IntMap<>();
    }
    Class<?> type = nameIdToClass.get(nameId);
    if (type == null) {
      String className = input.readString();
      if (!looksLikeClassName(className)) {
        // Not echoed: it is payload bytes, and would end up in a log line.
        throw new KryoException("corrupt payload: where a class name belongs, it holds something else");
      }
      type = nameToClass == null ? null : nameToClass.get(className);
      if (type == null) {
        type = load(className);
        if (nameToClass == null) {
          nameToClass = new ObjectMap<>();
        }
        nameToClass.put(className, type);
      }
      nameIdToClass.put(nameId, type);
    }
    return kryo.getRegistration(type);
  }

  /** Characters of binary names of classes and arrays ({@code [Lcom.acme.Product;}), at most 1000 of them. */
  static boolean looksLikeClassName(String name) {
    if (name == null || name.isEmpty() || name.length() > 1000) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '.' || c == '[' || c == ';'
          || (Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Class<?> load(String className) {
    if (!allowlist.allows(className)) {
      throw refusal(className);
    }
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw new KryoException("class " + className + " named by the payload is not found", e);
    }
  }
}

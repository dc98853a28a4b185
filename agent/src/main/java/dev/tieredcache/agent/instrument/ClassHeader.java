package dev.tieredcache.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The direct supertypes of a class, read from its class file's header (constant pool, super class, interfaces)
 * without parsing fields, methods or attributes: the cheapest way to tell whether a class being loaded can be a
 * subtype of a named type.
 */
final class ClassHeader {

  private ClassHeader() {}

  /**
   * The binary names ({@code com.acme.Repo}) of the super class (absent for {@code Object}) and the interfaces of
   * the class file {@code bytes}, or null when the bytes are not a class file this reader understands.
   */
  static List<String> directSupertypes(byte[] bytes) {
    try {
      return read(bytes);
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /** {@link #directSupertypes(byte[])} of the class file that {@code loader} finds for {@code binaryName}, or null. */
  static List<String> directSupertypes(ClassLoader loader, String binaryName) {
    String resource = binaryName.replace('.', '/') + ".class";
    ClassLoader through = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
    try (InputStream in = through.getResourceAsStream(resource)) {
      return in == null ? null : directSupertypes(in.readAllBytes());
    } catch (IOException | RuntimeException | LinkageError unreadable) {
      return null;
    }
  }

  /**
   * Whether the constant pool of the class file {@code bytes} holds one of {@code names} (each the UTF-8 bytes of an
   * ASCII name) as a text entry. A class that declares a method has its name there, so a class whose pool holds none
   * of a rule's method names declares none of its methods. True when the bytes are not a class file this reader
   * understands.
   */
  static boolean mentionsAny(byte[] bytes, List<byte[]> names) {
    try {
      return mentions(bytes, names);
    } catch (RuntimeException malformed) {
      return true;
    }
  }

  private static boolean mentions(byte[] b, List<byte[]> names) {
    if (u4(b, 0) != 0xCAFEBABE) {
      return true;
    }
    int count = u2(b, 8);
    int p = 10;
    for (int i = 1; i < count; i++) {
      if ((b[p] & 0xFF) == 1) {
        int length = u2(b, p + 1);
        for (byte[] name : names) {
          if (name.length == length && Arrays.equals(b, p + 3, p + 3 + length, name, 0, length)) {
            return true;
          }
        }
      }
      if (takesTwoSlots(b, p)) {
        i++;
      }
      p = next(b, p);
      if (p < 0) {
        return true;
      }
    }
    return false;
  }

  private static List<String> read(byte[] b) {
    if (u4(b, 0) != 0xCAFEBABE) {
      return null;
    }
    int count = u2(b, 8);
    int[] offsets = new int[count];
    int p = 10;
    for (int i = 1; i < count; i++) {
      offsets[i] = p;
      if (takesTwoSlots(b, p)) {
        i++;
      }
      p = next(b, p);
      if (p < 0) {
        return null;
      }
    }
    p += 4; // access flags, this class
    List<String> supertypes = new ArrayList<>();
    int superIndex = u2(b, p);
    if (superIndex != 0) {
      supertypes.add(className(b, offsets, superIndex));
    }
    int interfaces = u2(b, p + 2);
    for (int i = 0; i < interfaces; i++) {
      supertypes.add(className(b, offsets, u2(b, p + 4 + 2 * i)));
    }
    return supertypes;
  }

  /** The offset just past the constant pool entry at {@code p}, or -1 when its tag is not one this reader knows. */
  private static int next(byte[] b, int p) {
    switch (b[p] & 0xFF) {
      case 1: return p + 3 + u2(b, p + 1);                                  // Utf8
      case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: return p + 5;
      case 5: case 6: return p + 9;                                         // Long, Double
      case 7: case 8: case 16: case 19: case 20: return p + 3;              // Class, String, MethodType, Module, Package
      case 15: return p + 4;                                                // MethodHandle
      default: return -1;
    }
  }

  /** Long and Double entries take two slots of the constant pool. */
  private static boolean takesTwoSlots(byte[] b, int p) {
    int tag = b[p] & 0xFF;
    return tag == 5 || tag == 6;
  }

  private static String className(byte[] b, int[] offsets, int classIndex) {
    int utf8 = offsets[u2(b, offsets[classIndex] + 1)];
    int length = u2(b, utf8 + 1);
    return new String(b, utf8 + 3, length, StandardCharsets.UTF_8).replace('/', '.');
  }

  private static int u2(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static int u4(byte[] b, int p) {
    return (u2(b, p) << 16) | u2(b, p + 2);
  }
}

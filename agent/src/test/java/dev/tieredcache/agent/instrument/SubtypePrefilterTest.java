package dev.tieredcache.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubtypePrefilterTest {

  interface Repo {}

  interface ProductRepo extends Repo {}

  abstract static class BaseRepo implements ProductRepo {}

  static final class JpaProductRepo extends BaseRepo implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static final class Unrelated implements Runnable {
    @Override
    public void run() {}
  }

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void headerNamesTheSuperClassThenTheInterfaces() throws IOException {
    assertThat(ClassHeader.directSupertypes(bytes(ArrayList.class))).containsExactly("java.util.AbstractList",
        List.class.getName(), RandomAccess.class.getName(), Cloneable.class.getName(), Serializable.class.getName());
    assertThat(ClassHeader.directSupertypes(bytes(Object.class))).isEmpty();
    assertThat(ClassHeader.directSupertypes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})).isNull();
  }

  @Test
  void aClassReachingTheNamedTypeThroughItsSuperClassAndInterfacesMaySubtypeIt() throws IOException {
    SubtypePrefilter prefilter = new SubtypePrefilter(Set.of(Repo.class.getName()));
    assertThat(prefilter.maySubtype(loader, JpaProductRepo.class.getName(), bytes(JpaProductRepo.class))).isTrue();
    assertThat(prefilter.maySubtype(loader, ProductRepo.class.getName(), bytes(ProductRepo.class))).isTrue();
    assertThat(prefilter.maySubtype(loader, Unrelated.class.getName(), bytes(Unrelated.class))).isFalse();
    assertThat(prefilter.maySubtype(loader, String.class.getName(), bytes(String.class))).isFalse();
  }

  @Test
  void aClassWhoseConstantPoolLacksEveryRuleMethodNameDeclaresNoneOfThem() throws IOException {
    List<byte[]> run = List.of("run".getBytes(StandardCharsets.US_ASCII));
    List<byte[]> find = List.of("findById".getBytes(StandardCharsets.US_ASCII),
        "save".getBytes(StandardCharsets.US_ASCII));
    assertThat(ClassHeader.mentionsAny(bytes(Unrelated.class), run)).isTrue();
    assertThat(ClassHeader.mentionsAny(bytes(Unrelated.class), find)).isFalse();
    assertThat(ClassHeader.mentionsAny(bytes(JpaProductRepo.class), find)).isFalse();
    // a prefix of an entry is not the entry
    assertThat(ClassHeader.mentionsAny(bytes(Unrelated.class), List.of("ru".getBytes(StandardCharsets.US_ASCII))))
        .isFalse();
    assertThat(ClassHeader.mentionsAny(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, find)).isTrue();
  }

  @Test
  void aSupertypeWhoseClassFileCannotBeFoundCountsAsMaybe() {
    SubtypePrefilter prefilter = new SubtypePrefilter(Set.of(Repo.class.getName()));
    ClassLoader blind = new ClassLoader(null) {};
    assertThat(prefilter.maySubtype(blind, "com.acme.Generated", headerOf("com/acme/Generated", "com/acme/Gone")))
        .isTrue();
  }

  @Test
  void theLoaderMustSeeTheNamedType() {
    LoaderVisibility visibility = new LoaderVisibility();
    assertThat(visibility.sees(loader, Repo.class.getName())).isTrue();
    assertThat(visibility.sees(new ClassLoader(null) {}, Repo.class.getName())).isFalse();
    assertThat(visibility.sees(null, Repo.class.getName())).isFalse();
    assertThat(visibility.sees(null, "java.util.List")).isTrue();
  }

  @Test
  void jdkClassesAndJdkProxiesAreToldApartByName() {
    assertThat(CachingInstrumentation.ignoredName("java.util.HashMap")).isTrue();
    assertThat(CachingInstrumentation.ignoredName("jdk.internal.misc.Unsafe")).isTrue();
    assertThat(CachingInstrumentation.ignoredName("jdk.proxy2.$Proxy110")).isFalse();
    assertThat(CachingInstrumentation.ignoredName("com.acme.Service$$SpringCGLIB$$0")).isTrue();
    assertThat(CachingInstrumentation.ignoredName("dev.tieredcache.shaded.caffeine.cache.Caffeine")).isTrue();
    assertThat(CachingInstrumentation.ignoredName("com.acme.ProductRepository")).isFalse();
  }

  /** A minimal class file: this class and one super class, no interfaces. */
  private static byte[] headerOf(String internalName, String superName) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream data = new java.io.DataOutputStream(out);
    try {
      data.writeInt(0xCAFEBABE);
      data.writeShort(0);
      data.writeShort(55);
      data.writeShort(5);
      data.writeByte(1);
      data.writeUTF(internalName);
      data.writeByte(7);
      data.writeShort(1);
      data.writeByte(1);
      data.writeUTF(superName);
      data.writeByte(7);
      data.writeShort(3);
      data.writeShort(0x21);
      data.writeShort(2);
      data.writeShort(4);
      data.writeShort(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getPlatformClassLoader() : type.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}

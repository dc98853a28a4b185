package dev.tieredcache.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class ReadableSupertypesTest {

  interface Repo {}

  interface ProductRepo extends Repo {}

  /** Stands for an interface another agent defined at run time: its class file is nowhere to be found. */
  interface InjectedByAnotherAgent {}

  abstract static class Base implements InjectedByAnotherAgent {}

  static final class JpaProductRepo extends Base implements InjectedByAnotherAgent, ProductRepo {}

  static final class Unrelated extends Base implements Runnable {
    @Override
    public void run() {}
  }

  /** Byte Buddy's lazy type pool, as the agent uses it, over class files that lack the injected interface. */
  private final TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
      new WithoutClassFile(InjectedByAnotherAgent.class, ClassFileLocator.ForClassLoader.of(getClass().getClassLoader())),
      TypePool.Default.ReaderMode.FAST);

  @Test
  void aSubtypeIsFoundPastASupertypeWithoutClassFile() {
    TypeDescription repo = pool.describe(JpaProductRepo.class.getName()).resolve();

    assertThat(new ReadableSupertypes(named(Repo.class.getName())).matches(repo)).isTrue();
    assertThat(new ReadableSupertypes(named(ProductRepo.class.getName())).matches(repo)).isTrue();
    // asked again, with the missing class file's answer now in the type pool's cache
    assertThat(new ReadableSupertypes(named(Repo.class.getName())).matches(repo)).isTrue();
  }

  @Test
  void aClassWithASupertypeWithoutClassFileIsNotASubtypeOfAnUnrelatedType() {
    TypeDescription unrelated = pool.describe(Unrelated.class.getName()).resolve();

    assertThat(new ReadableSupertypes(named(Repo.class.getName())).matches(unrelated)).isFalse();
    assertThat(new ReadableSupertypes(named(Runnable.class.getName())).matches(unrelated)).isTrue();
  }

  @Test
  void byteBuddysOwnWalkFailsOnTheSameClass() {
    TypeDescription unrelated = pool.describe(Unrelated.class.getName()).resolve();

    // what happened in a Spring Boot app with the OpenTelemetry agent loaded first: every such class failed
    assertThatThrownBy(() -> hasSuperType(named(Repo.class.getName())).matches(unrelated))
        .isInstanceOf(TypePool.Resolution.NoSuchTypeException.class);
  }

  /** A locator that finds every class file but one's. */
  private static final class WithoutClassFile implements ClassFileLocator {
    private final String missing;
    private final ClassFileLocator delegate;

    WithoutClassFile(Class<?> missing, ClassFileLocator delegate) {
      this.missing = missing.getName();
      this.delegate = delegate;
    }

    @Override
    public Resolution locate(String name) throws IOException {
      return name.equals(missing) ? new Resolution.Illegal(name) : delegate.locate(name);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}

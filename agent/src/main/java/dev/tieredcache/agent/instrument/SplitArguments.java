package dev.tieredcache.agent.instrument;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.LongConstant;
import net.bytebuddy.implementation.bytecode.constant.NullConstant;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;

/**
 * Passes each argument of a cached method of two or three parameters to the bridge without boxing an integer: an
 * advice parameter marked {@link AsObject} gets argument {@code n} as an {@code Object} ({@code null} when it is a
 * {@code long}, {@code int}, {@code short} or {@code byte}; other primitives boxed), one marked {@link AsBits} gets it
 * widened to a {@code long} when it is one of those four (else {@code 0}). {@link CachedSite#integralBox} tells the
 * receiving side which of the two carries each argument.
 */
final class SplitArguments {

  private SplitArguments() {}

  /** Argument {@code value()} as an {@code Object}, or {@code null} when it is an integer passed by {@link AsBits}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface AsObject {
    int value();
  }

  /** Argument {@code value()} widened to a {@code long} when it is a {@code long} or narrower integer, else 0. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface AsBits {
    int value();
  }

  /** {@code mapping} with both annotations bound. */
  static Advice.WithCustomMapping bind(Advice.WithCustomMapping mapping) {
    return mapping.bind(new Factory<>(AsObject.class, false)).bind(new Factory<>(AsBits.class, true));
  }

  /** Whether an argument of {@code type} goes as bits. */
  static boolean isIntegral(TypeDefinition type) {
    return type.represents(long.class) || type.represents(int.class) || type.represents(short.class)
        || type.represents(byte.class);
  }

  private static final class Factory<A extends Annotation> implements Advice.OffsetMapping.Factory<A> {
    private final Class<A> annotation;
    private final boolean bits;

    Factory(Class<A> annotation, boolean bits) {
      this.annotation = annotation;
      this.bits = bits;
    }

    @Override
    public Class<A> getAnnotationType() {
      return annotation;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target,
        AnnotationDescription.Loadable<A> given, AdviceType adviceType) {
      A loaded = given.load();
      int index = loaded instanceof AsObject ? ((AsObject) loaded).value() : ((AsBits) loaded).value();
      return (instrumentedType, method, assigner, arguments, sort) -> resolve(method, assigner, arguments, index);
    }

    private Advice.OffsetMapping.Target resolve(MethodDescription method, Assigner assigner,
        Advice.ArgumentHandler arguments, int index) {
      ParameterDescription parameter = method.getParameters().get(index);
      TypeDescription.Generic type = parameter.getType();
      boolean integral = isIntegral(type);
      if (bits != integral) {
        return new Advice.OffsetMapping.Target.ForStackManipulation(
            bits ? LongConstant.forValue(0) : NullConstant.INSTANCE);
      }
      StackManipulation load = MethodVariableAccess.of(type).loadFrom(arguments.argument(parameter.getOffset()));
      StackManipulation convert = bits
          ? assigner.assign(type, TypeDescription.ForLoadedType.of(long.class).asGenericType(), Assigner.Typing.STATIC)
          : assigner.assign(type, TypeDescription.Generic.OBJECT, Assigner.Typing.DYNAMIC);
      if (!convert.isValid()) {
        throw new IllegalStateException("cannot pass " + type + " of " + method + " to the cache");
      }
      return new Advice.OffsetMapping.Target.ForStackManipulation(new StackManipulation.Compound(load, convert));
    }
  }
}

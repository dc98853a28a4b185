package dev.tieredcache.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a scenario once per {@link TestJdk}: the test method takes a {@code TestJdk} parameter and launches its
 * forked JVM with it, via {@link ForkedJvm#on}, which skips or fails a case whose JDK is not installed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.tieredcache.it.TestJdk#all")
public @interface OnEachJdk {}

/**
 * The codec of the Redis tier. {@link dev.tieredcache.runtime.codec.ValueCodec} turns one rule's values into bytes
 * and back, and refuses, by name and before loading it, any class the rule does not allow;
 * {@link dev.tieredcache.runtime.codec.EntryCodec} puts the versioned header of a Redis value in front.
 *
 * <h2>Kryo 5 rather than Apache Fory</h2>
 *
 * Compared: {@code com.esotericsoftware:kryo:5.6.2} and {@code org.apache.fory:fory-core:0.14.1}, both from Maven
 * Central. Measured with {@code mvn dependency:tree} in scratch projects, {@code javap}, and small probes on JDK 17
 * and 25:
 * <ul>
 *   <li><b>Footprint.</b> Kryo: 4 jars, 0.50 MB (kryo 374 KB, reflectasm 72 KB, objenesis 49 KB, minlog 6 KB).
 *       Fory: 8 jars, 5.39 MB: fory-core 2.07 MB (553 of its 1,194 classes are a shaded Janino compiler), Guava
 *       32.1.2-jre 3.04 MB and Guava's 5 dependencies.</li>
 *   <li><b>Java 11.</b> Both load: every class in both trees has class-file version 52 (Java 8) or lower, and no
 *       jar is multi-release.</li>
 *   <li><b>Refusing a class before it is loaded.</b> Fory has a hook built in: {@code TypeResolver.setTypeChecker},
 *       called with the class name in {@code TypeResolver.loadClass} before {@code Class.forName(name, false,
 *       loader)}; the call site ignores the checker's boolean result, so a checker refuses by throwing (tried: the
 *       exception comes back as the root cause of a {@code DeserializationException}), and a name the loader does
 *       not find is retried with the thread's context loader. Kryo with registration off has no allowlist, but the
 *       one place where a payload's class name becomes a class is the protected
 *       {@code DefaultClassResolver.readName}: {@link dev.tieredcache.runtime.codec.AllowlistClassResolver}
 *       overrides it, checks the name, then calls {@code Class.forName(name, false, loader)} with the rule's loader
 *       only (Kryo's own falls back to Kryo's class loader).</li>
 *   <li><b>Inside a host application.</b> Fory generates and compiles a serializer class per class at run time
 *       (about 150 ms for the first class in the probe; {@code withCodegen(false)} turns it off) and logs INFO and
 *       WARN lines to stdout unless {@code LoggerFactory.disableLogging()} is called. Kryo 5 generates no classes
 *       here and logs nothing at its default level. On JDK 25 both print the JDK's {@code sun.misc.Unsafe}
 *       deprecation warning to stderr on first use; {@code -Dkryo.unsafe=false} avoids Kryo's, at roughly 5-15%
 *       of encode/decode time in a plain loop (not JMH).</li>
 * </ul>
 * None of this argues against Kryo, and the smaller footprint and absence of run-time code generation argue for it
 * in an agent. What plain Kryo 5.6.2 does wrong here was measured and is closed in this package:
 * <ul>
 *   <li>it allocates from lengths it has not checked: a 27-byte payload claiming 2<sup>31</sup> {@code ArrayList}
 *       elements throws {@code OutOfMemoryError}, and so do huge string and array lengths
 *       ({@link dev.tieredcache.runtime.codec.BoundedInput}, {@link dev.tieredcache.runtime.codec.BoundedSerializers});</li>
 *   <li>it writes fields by position and enums by ordinal, so a value written by another version of a class can
 *       decode into wrong values without an error ({@link dev.tieredcache.runtime.codec.ShapeCheckedSerializer});</li>
 *   <li>it cannot read back {@code Collections.unmodifiable*} collections ({@code UnsupportedOperationException})
 *       nor write a {@code Stream.toList()} result holding a null
 *       ({@link dev.tieredcache.runtime.codec.JdkWrapperSerializers}).</li>
 * </ul>
 */
package dev.tieredcache.runtime.codec;

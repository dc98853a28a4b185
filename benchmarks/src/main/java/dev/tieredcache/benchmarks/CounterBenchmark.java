package dev.tieredcache.benchmarks;

import dev.tieredcache.runtime.HitCounter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** The fresh-hit counter of the runtime against a {@code LongAdder}, alone, on one thread or several. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CounterBenchmark {

  private final LongAdder adder = new LongAdder();
  private final HitCounter counter = new HitCounter();

  @Benchmark
  public void longAdder() {
    adder.increment();
  }

  @Benchmark
  public void hitCounter() {
    counter.increment();
  }

  @Benchmark
  @Threads(2)
  public void longAdderTwoThreads() {
    adder.increment();
  }

  @Benchmark
  @Threads(2)
  public void hitCounterTwoThreads() {
    counter.increment();
  }
}

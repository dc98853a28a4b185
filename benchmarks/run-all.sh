#!/usr/bin/env bash
# Runs every benchmark of the README's Figures and writes their tables to benchmarks/target/results/:
#   bash benchmarks/run-all.sh            (from the repository root; builds first; about 15 minutes)
# The machine should be otherwise idle: JMH figures of a busy machine compare only within one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=benchmarks/target/results
mvn -B -q install -DskipTests
mkdir -p "$OUT"
JAR=benchmarks/target/benchmarks.jar
{ echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"; echo "cores: $(nproc)"; java -version 2>&1 | head -1; } > "$OUT/machine.txt"
for threads in 1 2; do
  java -jar "$JAR" HitPathBenchmark -f 2 -wi 3 -w 1 -i 5 -r 1 -t "$threads" -prof gc \
      -rf text -rff "$OUT/hit-path-${threads}-thread.txt" > "$OUT/hit-path-${threads}-thread.log"
done
java -jar "$JAR" KeyShapesBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1 -prof gc -rf text -rff "$OUT/key-shapes.txt" \
    > "$OUT/key-shapes.log"
java -jar "$JAR" RedisHitBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -rf text -rff "$OUT/redis-hit.txt" > "$OUT/redis-hit.log"
java -cp "$JAR" dev.tieredcache.benchmarks.MemoryPerEntry > "$OUT/memory-per-entry.txt" 2>&1
java -Dload.out="$OUT/load-run.md" -cp "$JAR" dev.tieredcache.benchmarks.load.LoadDriver > "$OUT/load-run.log" 2>&1
echo "tables written to $OUT:"
ls "$OUT"

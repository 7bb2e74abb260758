package org.consultscore.generate;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Random numbers as Spark columns, computed from a hash of the seed, a stream number and the row's
 * key columns. Unlike {@code rand(seed)}, a value depends only on the row's key and not on how the rows
 * are split into partitions, so the same seed gives the same data on any cluster layout. Each
 * random choice of a row uses its own stream number, so the choices are independent.
 */
final class HashRandom {
  /** 2^53: a 53-bit integer divided by this is a double in [0, 1). */
  private static final double TWO_TO_53 = 9007199254740992.0;

  private final long seed;

  HashRandom(long seed) {
    this.seed = seed;
  }

  /** Returns a uniform double in [0, 1). */
  Column uniform(int stream, Column... key) {
    Column[] inputs = new Column[key.length + 2];
    inputs[0] = lit(seed);
    inputs[1] = lit(stream);
    System.arraycopy(key, 0, inputs, 2, key.length);
    Column bits = shiftrightunsigned(xxhash64(inputs), 11);
    return bits.cast("double").divide(lit(TWO_TO_53));
  }

  /** Returns a standard normal value (Box-Muller), using streams {@code stream} and {@code stream + 1}. */
  Column gaussian(int stream, Column... key) {
    Column radius = sqrt(log(lit(1.0).minus(uniform(stream, key))).multiply(-2.0));
    return radius.multiply(cos(uniform(stream + 1, key).multiply(2 * Math.PI)));
  }

  /** Returns an exponentially distributed value with the given mean. */
  Column exponential(Column mean, int stream, Column... key) {
    return mean.multiply(log(lit(1.0).minus(uniform(stream, key)))).multiply(-1.0);
  }
}

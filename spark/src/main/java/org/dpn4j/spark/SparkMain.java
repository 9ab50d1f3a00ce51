package org.dpn4j.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dpn spark}: segments and evaluates image collections with Apache Spark, in-process
 * ({@code local[*]}, the default) or on a cluster. The main class of {@code dpn4j-spark.jar}, for
 * {@code ./dpn spark ...} and for {@code spark-submit --class org.dpn4j.spark.SparkMain}.
 */
@Command(
    name = "dpn spark",
    mixinStandardHelpOptions = true,
    header = "Segments and evaluates image collections with Apache Spark (in-process or on a cluster).",
    subcommands = {SegmentJob.class, EvalJob.class, LocalCluster.class})
public final class SparkMain {

  private SparkMain() {}

  /** Runs the command line and exits with its code (Spark's threads would keep the JVM alive). */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code (dpn's rule: 0 done, 2 bad usage or input, some image refused included, 1 a failure while running). */
  public static int run(String... args) {
    return new CommandLine(new SparkMain()).execute(args);
  }
}

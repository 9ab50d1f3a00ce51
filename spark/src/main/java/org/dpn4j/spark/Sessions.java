package org.dpn4j.spark;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.dpn4j.io.OutputException;

/**
 * Starts the Spark session of a job: the master ({@code local[*]} unless told), the executors'
 * JVM options and environment, the model shipped to every executor, and on a cluster the
 * application's jars.
 */
final class Sessions {

  /** The executors' JVM options: the Vector API module, and an engine that never downloads. */
  static final String EXECUTOR_JAVA_OPTIONS = "--add-modules=jdk.incubator.vector -Dai.djl.offline=true";

  /** Driver environment variables handed on to executors (jemalloc and the engine's waiting policy, STACK.md). */
  private static final List<String> EXECUTOR_ENV = List.of("LD_PRELOAD", "OMP_WAIT_POLICY");

  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?\\]|local");

  private Sessions() {}

  /** A started job: the session, the model's name among the shipped files, and the threads per executor (null: decide there). */
  record Started(SparkSession spark, String modelFile, Integer threads) implements AutoCloseable {
    @Override
    public void close() {
      spark.stop();
    }
  }

  /** Starts a session named {@code app} with {@code options}, shipping {@code model}. */
  static Started start(String app, JobOptions options, Path model) throws IOException {
    if (options.threads != null && options.threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + options.threads);
    }
    SparkConf conf = new SparkConf(true).setAppName(app); // true: spark-submit's settings count
    options.conf.forEach(conf::set);
    if (options.master != null) {
      conf.setMaster(options.master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    String master = conf.get("spark.master");
    Integer threads = options.threads != null ? options.threads : knownCores(master, conf);
    if (threads != null && !conf.contains("spark.task.cpus")) {
      // One image at a time per executor, on all its cores: the model is loaded once per JVM.
      conf.set("spark.task.cpus", Integer.toString(threads));
    }
    conf.set("spark.executor.extraJavaOptions",
        (conf.get("spark.executor.extraJavaOptions", "") + " " + EXECUTOR_JAVA_OPTIONS).trim());
    for (String name : EXECUTOR_ENV) {
      String value = System.getenv(name);
      if (value != null && !conf.contains("spark.executorEnv." + name)) {
        conf.set("spark.executorEnv." + name, value);
      }
    }
    if (!conf.contains("spark.sql.artifact.isolation.enabled")) {
      // Else a session's jobs see only the session's own artifacts, not the context's addFile/addJar.
      conf.set("spark.sql.artifact.isolation.enabled", "false");
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    SparkContext sc = spark.sparkContext();
    if (!isLocal(master)) {
      shipJars(sc);
    }
    Path shipped = Files.isDirectory(model) ? zipped(model) : model.toAbsolutePath();
    sc.addFile(shipped.toString());
    return new Started(spark, shipped.getFileName().toString(), threads);
  }

  /**
   * A model directory as a zip in a temporary folder (a model loads from either): Spark ships
   * single files, not folders, to a cluster's executors.
   */
  private static Path zipped(Path modelDir) throws IOException {
    Path dir = Files.createTempDirectory("dpn-spark-model-");
    Path zip = dir.resolve(modelDir.toAbsolutePath().normalize().getFileName() + ".zip");
    List<Path> files;
    try (Stream<Path> s = Files.list(modelDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.setLevel(Deflater.BEST_SPEED);
      for (Path f : files) {
        out.putNextEntry(new ZipEntry(f.getFileName().toString()));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    zip.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return zip;
  }

  static boolean isLocal(String master) {
    return LOCAL.matcher(master).matches();
  }

  /** The cores of each executor when the driver knows them: N of local[N], or spark.executor.cores. */
  private static Integer knownCores(String master, SparkConf conf) {
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      return m.group(1) == null ? 1
          : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }
    return conf.contains("spark.executor.cores") ? conf.getInt("spark.executor.cores", 1) : null;
  }

  /**
   * Adds this application's jar and the jars beside it in {@code lib/} (the engine, dpn4j) to the
   * job, unless they are there already (spark-submit's --jars); nothing when the code runs from
   * class folders (the tests, which put it on the executors' class path instead).
   */
  private static void shipJars(SparkContext sc) throws IOException {
    Path self;
    try {
      self = Path.of(Sessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate dpn4j-spark's jar: " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(self)) {
      return;
    }
    Set<String> shipped = new HashSet<>();
    scala.jdk.javaapi.CollectionConverters.asJava(sc.listJars())
        .forEach(j -> shipped.add(j.substring(j.lastIndexOf('/') + 1)));
    Path lib = self.resolveSibling("lib");
    List<Path> jars;
    try (Stream<Path> s = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
      jars = Stream.concat(Stream.of(self), s.filter(p -> p.toString().endsWith(".jar")).sorted()).toList();
    }
    for (Path jar : jars) {
      if (shipped.add(jar.getFileName().toString())) {
        sc.addJar(jar.toAbsolutePath().toString());
      }
    }
  }

  /**
   * What a user reads of a failed job: the message's first line (Spark's failures append the
   * executor's stack trace), the cause's when the exception has none.
   */
  static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /**
   * The exit code of a failed command, by dpn's rule (README, "Exit codes"): 2 for bad usage or
   * input (a value refused, an input or path that cannot be used), 1 for a failure while running
   * (an output that cannot be written, the job).
   */
  static int exitCode(Exception e) {
    return e instanceof IllegalArgumentException || (e instanceof IOException && !(e instanceof OutputException)) ? 2 : 1;
  }
}

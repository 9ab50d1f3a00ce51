package org.dpn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Sample;
import org.dpn4j.eval.Ensemble;
import org.dpn4j.eval.Evaluation;
import org.dpn4j.eval.EvaluationReport;
import org.dpn4j.io.Images;
import org.dpn4j.model.DefaultModel;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.SegmentationFiles;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job on a real standalone cluster on this machine: a master and two worker JVMs started
 * from the Maven-resolved Spark jars, executors in JVMs of their own (one core each, so one engine
 * thread, where the reference below runs on all cores). Needs ../shared/data/camvid.
 */
@Integration
class SparkClusterTest {

  private static final Path CAMVID = SharedData.path("camvid");
  private static final int FRAMES = 3;

  private static LocalCluster cluster;
  /** The cluster's master. */
  private static String master;

  @TempDir static Path tmp;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new LocalCluster(2, 1, "1g");
    master = cluster.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void segmentsAsDpnSegmentDoesAndReportsACorruptImageInItsRow() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<Path> frames = valFrames(FRAMES);
    for (Path f : frames) {
      Files.copy(f, in.resolve(f.getFileName()));
    }
    Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path ref = reference(frames);
    Path out = tmp.resolve("out");

    Run r = spark("segment", "--input", in.toString(), "--out", out.toString(), "--images-per-task", "1");

    assertEquals(2, r.code, "a refused image makes the exit code 2 (dpn's batch rule), the job still completes: " + r.err);
    assertTrue(r.err.contains("broken.png"), r.err);
    for (Path f : frames) {
      String png = SegmentationFiles.name(f) + ".png";
      assertArrayEquals(Files.readAllBytes(ref.resolve(png)), Files.readAllBytes(out.resolve(png)), png);
    }
    assertFalse(Files.exists(out.resolve("broken.png")));
    Map<String, Row> rows = table(out);
    assertEquals(FRAMES + 1, rows.size());
    String error = rows.get("broken").getString(rows.get("broken").fieldIndex("error"));
    assertTrue(error.contains("broken.png") && error.contains("not an image"), error);
    Set<String> executors = new HashSet<>();
    int loads = 0;
    for (Path f : frames) {
      Row row = rows.get(SegmentationFiles.name(f));
      assertNull(row.get(row.fieldIndex("error")));
      assertEquals(480, row.getInt(row.fieldIndex("width")));
      assertEquals(360, row.getInt(row.fieldIndex("height")));
      Map<Integer, Long> histogram = row.getJavaMap(row.fieldIndex("histogram"));
      assertEquals(480L * 360, histogram.values().stream().mapToLong(Long::longValue).sum());
      assertTrue(row.getDouble(row.fieldIndex("seconds")) > 0);
      executors.add(row.getString(row.fieldIndex("executor")));
      loads += row.isNullAt(row.fieldIndex("load_seconds")) ? 0 : 1;
    }
    assertFalse(executors.contains("driver"), "executors run in JVMs of their own: " + executors);
    assertEquals(executors.size(), loads, "one model load per executor JVM, not per image");
  }

  @Test
  void evaluatesExactlyAsDpnEval() throws Exception {
    Run r = spark("eval", "--dataset", "camvid", "--root", CAMVID.toString(), "--split", "val",
        "--limit", Integer.toString(FRAMES), "--images-per-task", "1", "--json");
    assertEquals(0, r.code, r.err);

    Dataset dataset = Datasets.open("camvid", CAMVID);
    List<Sample> samples = dataset.samples("val").subList(0, FRAMES);
    Path model = DefaultModel.path();
    Evaluation.Result result;
    try (DpnModel m = DpnModel.load(model)) {
      result = Evaluation.run(new Ensemble(List.of(m), List.of(1.0), false), dataset, samples, null, (d, t, s) -> { });
    }
    ObjectMapper json = new ObjectMapper();
    // Through JSON text, as dpn eval prints it (a tree built in memory holds longs where parsed text holds ints).
    ObjectNode expected = (ObjectNode) json.readTree(EvaluationReport.text(
        new EvaluationReport(List.of(model), "camvid", CAMVID, "val", List.of(1.0), false, result).json()));
    ObjectNode actual = (ObjectNode) json.readTree(r.out);
    assertTrue(actual.remove("seconds").asDouble() > 0);
    expected.remove("seconds");
    assertEquals(expected, actual);
  }

  @Test
  void aRunKilledMidwayResumesWritingOnlyWhatWasMissing() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("resume-in"));
    List<Path> frames = valFrames(6);
    for (Path f : frames) {
      Files.copy(f, in.resolve(f.getFileName()));
    }
    Path out = tmp.resolve("resume-out");
    // A driver of its own, killed once its first image is written.
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), SparkMain.class.getName(),
        "segment", "--input", in.toString(), "--out", out.toString(), "--master", "local[1]",
        "--images-per-task", "1", "--conf", "spark.ui.enabled=false"));
    Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
    try {
      while (labelFiles(out).isEmpty()) {
        assertTrue(first.isAlive(), "the first run ended before writing anything: " + Files.readString(tmp.resolve("killed.log")));
        Thread.sleep(50);
      }
    } finally {
      first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    }
    Map<Path, FileTime> before = new HashMap<>();
    for (Path p : labelFiles(out)) {
      before.put(p, Files.getLastModifiedTime(p));
    }
    assertTrue(before.size() < frames.size(), "the first run was not killed midway: " + before.size() + " written");

    Run r = spark("segment", "--input", in.toString(), "--out", out.toString(), "--images-per-task", "2");

    assertEquals(0, r.code, r.err);
    assertEquals(frames.size(), labelFiles(out).size());
    for (Map.Entry<Path, FileTime> e : before.entrySet()) {
      assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey() + " was written again");
    }
    Map<String, Row> rows = table(out);
    assertEquals(frames.size(), rows.size());
    long reused = rows.values().stream().filter(row -> row.getBoolean(row.fieldIndex("reused"))).count();
    assertEquals(before.size(), reused);
    assertTrue(r.err.contains((frames.size() - before.size()) + " images segmented, " + before.size() + " done before"), r.err);
  }

  /** The first n CamVid val frames. */
  private static List<Path> valFrames(int n) throws IOException {
    try (Stream<Path> s = Files.list(CAMVID.resolve("val"))) {
      return s.sorted().limit(n).toList();
    }
  }

  /** What dpn segment writes for these frames: the same model and core's writer, in this JVM on all cores. */
  private static Path reference(List<Path> frames) throws IOException {
    Path ref = Files.createDirectories(tmp.resolve("reference"));
    try (DpnModel model = DpnModel.load(DefaultModel.path())) {
      for (Path f : frames) {
        SegmentationFiles.write(model.segment(Images.read(f), true), ref, SegmentationFiles.name(f), false,
            SegmentationFiles.Probabilities.NONE);
      }
    }
    return ref;
  }

  private static List<Path> labelFiles(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().matches("[^.].*\\.png")).toList();
    }
  }

  /** The Parquet table's rows by image name, read with a Spark session of this JVM. */
  private static Map<String, Row> table(Path out) {
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      return spark.read().parquet(out.resolve(SegmentJob.TABLE).toString()).collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("name")), r -> r));
    } finally {
      spark.stop();
    }
  }

  private record Run(int code, String out, String err) {}

  /** Runs a dpn spark command on the cluster, the executors given this module's code by class path. */
  private static Run spark(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--master", master, "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=768m", "--conf", "spark.executor.cores=1",
        "--conf", "spark.executor.extraClassPath=" + applicationClassPath()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    int code;
    try {
      code = SparkMain.run(all.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String e = err.toString();
    stderr.print(e);
    return new Run(code, out.toString(), e);
  }

  /** This JVM's class path without the Spark jars (the workers' SPARK_HOME has those). */
  private static String applicationClassPath() throws IOException {
    Set<String> spark;
    try (Stream<Path> s = Files.list(LocalCluster.sparkJars())) {
      spark = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !spark.contains(Path.of(p).getFileName().toString()))
        .collect(Collectors.joining(File.pathSeparator));
  }
}

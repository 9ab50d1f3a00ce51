package org.dpn4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.util.SerializableConfiguration;
import org.dpn4j.model.SegmentationFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dpn spark segment}: {@code dpn segment}'s label PNGs for every image of a folder, on Spark. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    header = "Segments every image of a folder on Spark: dpn segment's label PNGs and a Parquet table.",
    description = {
      "Segments every image (PNG, JPEG, BMP, GIF) of --input with the model on Spark's executors, each",
      "loading the model once. Writes NAME.png as dpn segment does (8-bit label indices, the model's",
      "colours as palette), with --overlays NAME_overlay.png, with --save-probs NAME.npy (float16, L x H x W),",
      "and the table " + SegmentJob.TABLE + "/ (Parquet: one row per image with its size, seconds, label",
      "histogram and error). An image whose NAME.png exists is not segmented again, so a killed run resumes.",
      "A bad image fails its row, not the job (exit code 2 at the end, as dpn segment)."
    })
final class SegmentJob implements Callable<Integer> {

  /** The Parquet table's folder inside --out. */
  static final String TABLE = "segments.parquet";

  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "The folder of images (a local path or a Hadoop URI).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder (created; a local path or a Hadoop URI).")
  String out;

  @Option(names = "--overlays", description = "Also write NAME_overlay.png (the label colours over the photo).")
  boolean overlays;

  @Option(names = "--save-probs", description = "Also write NAME.npy, the probabilities (float16, L x H x W).")
  boolean saveProbs;

  @Option(names = "--images-per-task", paramLabel = "N", defaultValue = "4",
      description = "Images per Spark task (default: ${DEFAULT-VALUE}).")
  int perTask;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (perTask < 1) {
      err.println("dpn spark segment: --images-per-task must be at least 1, got " + perTask);
      return 2;
    }
    try (Sessions.Started s = Sessions.start("dpn spark segment", job, job.modelPath())) {
      Summary summary = run(s, err);
      err.println(summary.line());
      err.flush();
      return summary.failed() > 0 ? 2 : 0;
    } catch (IOException | RuntimeException e) {
      err.println("dpn spark segment: " + Sessions.firstLine(e));
      err.flush();
      return Sessions.exitCode(e);
    }
  }

  /** How a run went: images segmented now, found done, failed, and the job's seconds. */
  record Summary(long segmented, long reused, long failed, double seconds) {
    String line() {
      return String.format(Locale.ROOT, "spark segment: %d images segmented, %d done before, %d failed, %.1f s",
          segmented, reused, failed, seconds);
    }
  }

  private Summary run(Sessions.Started s, PrintWriter err) throws IOException {
    long start = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.spark().sparkContext());
    // Qualified (file:/abs/...): an executor's working folder is not the driver's.
    FileSystem outFs = new org.apache.hadoop.fs.Path(out).getFileSystem(sc.hadoopConfiguration());
    org.apache.hadoop.fs.Path outDir = outFs.makeQualified(new org.apache.hadoop.fs.Path(out));
    outFs.mkdirs(outDir);
    List<String> images = listImages(new org.apache.hadoop.fs.Path(input), sc);
    err.println("spark segment: " + images.size() + " images in " + input + ", master " + sc.master());
    err.flush();
    SegmentTask task = new SegmentTask(s.modelFile(), s.threads(), outDir.toString(), overlays,
        saveProbs ? SegmentationFiles.Probabilities.FLOAT16 : SegmentationFiles.Probabilities.NONE,
        new SerializableConfiguration(sc.hadoopConfiguration()), duplicates(images));
    int partitions = Math.max(1, (images.size() + perTask - 1) / perTask);
    JavaRDD<Row> rows = sc.parallelize(images, partitions).mapPartitions(task::segment).cache();
    Dataset<Row> table = s.spark().createDataFrame(rows, SegmentTask.SCHEMA);
    table.write().mode(SaveMode.Overwrite).parquet(new org.apache.hadoop.fs.Path(outDir, TABLE).toString());
    int error = SegmentTask.SCHEMA.fieldIndex("error");
    int reusedColumn = SegmentTask.SCHEMA.fieldIndex("reused");
    List<Row> failed = rows.filter(r -> !r.isNullAt(error)).collect();
    failed.forEach(r -> err.println("spark segment: " + r.getString(error)));
    long reused = rows.filter(r -> r.getBoolean(reusedColumn)).count();
    rows.unpersist(false);
    return new Summary(images.size() - reused - failed.size(), reused, failed.size(), (System.nanoTime() - start) / 1e9);
  }

  /** The images directly inside {@code dir}, by their extension, as URIs in name order. */
  private static List<String> listImages(org.apache.hadoop.fs.Path dir, JavaSparkContext sc) throws IOException {
    FileSystem fs = dir.getFileSystem(sc.hadoopConfiguration());
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new IOException(dir + ": not a folder of images");
    }
    List<String> images = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName().toLowerCase(Locale.ROOT);
      if (f.isFile() && name.matches(".*\\.(png|jpe?g|bmp|gif)") && !name.startsWith(".")) {
        images.add(f.getPath().toString());
      }
    }
    images.sort(null);
    return images;
  }

  /** Images whose output name an earlier image (in name order) already has: image -> that earlier image. */
  private static Map<String, String> duplicates(List<String> images) {
    Map<String, String> first = new HashMap<>();
    Map<String, String> clashes = new HashMap<>();
    for (String image : images) {
      String name = SegmentationFiles.name(Path.of(new org.apache.hadoop.fs.Path(image).getName()));
      String earlier = first.putIfAbsent(name, image);
      if (earlier != null) {
        clashes.put(image, earlier);
      }
    }
    return clashes;
  }
}

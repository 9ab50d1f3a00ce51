package org.dpn4j.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.dpn4j.io.Images;
import org.dpn4j.io.OutputException;
import org.dpn4j.model.Segmentation;
import org.dpn4j.model.SegmentationFiles;

/**
 * What an executor does with its partition of images: for each one not done yet, read it, segment
 * it with the executor's model and write its files with {@link SegmentationFiles} (the label PNG
 * last); one {@link #SCHEMA} row per image, with the error instead of failing the task.
 */
record SegmentTask(String modelFile, Integer threads, String outDir, boolean overlay,
    SegmentationFiles.Probabilities probs, SerializableConfiguration hadoop, Map<String, String> clashes)
    implements Serializable {

  /**
   * The Parquet table's columns; seconds is null and reused true for an image done by an earlier
   * run. load_seconds is the model's load time in the row of the image whose task loaded it;
   * peak_memory_mib the executor JVM's peak resident memory so far; finished_ms the wall clock.
   */
  static final StructType SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("name", DataTypes.StringType, false)
      .add("width", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("seconds", DataTypes.DoubleType, true)
      .add("histogram", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType), true)
      .add("error", DataTypes.StringType, true)
      .add("reused", DataTypes.BooleanType, false)
      .add("executor", DataTypes.StringType, false)
      .add("load_seconds", DataTypes.DoubleType, true)
      .add("peak_memory_mib", DataTypes.LongType, true)
      .add("finished_ms", DataTypes.LongType, false);

  /** {@code clashes}: images whose output name an earlier image has, image -> that image (a copy is kept). */
  SegmentTask {
    clashes = Map.copyOf(clashes);
  }

  /** The rows of a partition's images (a Spark mapPartitions function). */
  Iterator<Row> segment(Iterator<String> images) throws IOException {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(outDir);
    FileSystem out = dir.getFileSystem(hadoop.value());
    List<Row> rows = new ArrayList<>();
    while (images.hasNext()) {
      rows.add(one(images.next(), dir, out));
    }
    return rows.iterator();
  }

  private Row one(String image, org.apache.hadoop.fs.Path dir, FileSystem out) {
    org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(image);
    String name = SegmentationFiles.name(Path.of(in.getName()));
    Double loadSeconds = null;
    try {
      if (clashes.containsKey(image)) {
        throw new IOException(image + ": its output " + name + ".png is that of " + clashes.get(image) + " already");
      }
      org.apache.hadoop.fs.Path labels = new org.apache.hadoop.fs.Path(dir, name + ".png");
      if (out.exists(labels)) {
        return done(image, name, labels, out);
      }
      BufferedImage img = read(in);
      ExecutorModel.Loaded m = ExecutorModel.get(modelFile, threads);
      loadSeconds = m.loadSeconds();
      Segmentation s;
      long t0;
      synchronized (m.model()) { // one image at a time per model, on all the executor's threads
        t0 = System.nanoTime();
        s = m.model().segment(img, true);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      write(s, name, dir, out);
      return row(image, name, s.width(), s.height(), seconds, histogram(s.labels()), null, false, loadSeconds);
    } catch (OutputException e) {
      throw new UncheckedIOException(e); // an output that cannot be written fails the job, not the image
    } catch (IOException | RuntimeException e) {
      return row(image, name, null, null, null, null, message(image, e), false, loadSeconds);
    }
  }

  /** The image; a local file through {@link Images#read}, so errors read as {@code dpn segment}'s. */
  private BufferedImage read(org.apache.hadoop.fs.Path image) throws IOException {
    FileSystem fs = image.getFileSystem(hadoop.value());
    if (fs instanceof LocalFileSystem local) {
      return Images.read(local.pathToFile(image).toPath());
    }
    try (InputStream s = fs.open(image)) {
      BufferedImage img = ImageIO.read(s);
      if (img == null) {
        throw new IOException(image + ": not an image in a supported format (PNG, JPEG, BMP, GIF)");
      }
      return img;
    }
  }

  /**
   * Writes the image's files: straight into a local output folder, else into a local staging folder
   * first and then copied, the label PNG last (each copy renamed into place, so a reader never sees
   * half a file).
   */
  private void write(Segmentation s, String name, org.apache.hadoop.fs.Path dir, FileSystem out) throws IOException {
    if (out instanceof LocalFileSystem local) {
      SegmentationFiles.write(s, local.pathToFile(dir).toPath(), name, overlay, probs);
      return;
    }
    Path stage = Files.createTempDirectory("dpn-spark-");
    try {
      SegmentationFiles.write(s, stage, name, overlay, probs);
      Path labels = SegmentationFiles.labelsFile(stage, name);
      List<Path> files;
      try (Stream<Path> f = Files.list(stage)) {
        files = f.filter(p -> !p.getFileName().toString().startsWith("."))
            .sorted(Comparator.comparing((Path p) -> p.equals(labels))).toList();
      }
      for (Path f : files) {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, f.getFileName().toString());
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir, "." + f.getFileName() + ".tmp");
        out.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), tmp);
        out.delete(target, false);
        if (!out.rename(tmp, target)) {
          throw new IOException(target + ": cannot move the written file into place");
        }
      }
    } finally {
      try (Stream<Path> f = Files.list(stage)) {
        for (Path p : f.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(stage);
    }
  }

  /** The row of an image an earlier run finished: its size and histogram read back from its label PNG. */
  private Row done(String image, String name, org.apache.hadoop.fs.Path labels, FileSystem out) throws IOException {
    BufferedImage png;
    try (InputStream s = out.open(labels)) {
      png = ImageIO.read(s);
    }
    if (png == null) {
      throw new IOException(labels + ": not a PNG; delete it to segment " + image + " again");
    }
    int w = png.getWidth();
    int h = png.getHeight();
    int[] ids = png.getRaster().getPixels(0, 0, w, h, (int[]) null);
    return row(image, name, w, h, null, histogram(ids), null, true, null);
  }

  /** Pixels per label id, for the ids that occur. */
  static Map<Integer, Long> histogram(int[] labels) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int l : labels) {
      counts.merge(l, 1L, Long::sum);
    }
    return counts;
  }

  private static String message(String image, Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.contains(new org.apache.hadoop.fs.Path(image).getName()) ? m : image + ": " + m;
  }

  private static Row row(String image, String name, Integer w, Integer h, Double seconds,
      Map<Integer, Long> histogram, String error, boolean reused, Double loadSeconds) {
    return RowFactory.create(image, name, w, h, seconds,
        histogram == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(histogram),
        error, reused, ExecutorModel.executorId(), loadSeconds, ExecutorModel.peakMemoryMiB(),
        System.currentTimeMillis());
  }
}

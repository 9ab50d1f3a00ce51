package org.dpn4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpn4j.bench.TrainingThroughput;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Photometric;
import org.dpn4j.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpn bench train}: images per second of stage unary's training step on real data (loader,
 * augmentation, forward, loss, backward, SGD), median of the timed steps, and peak memory.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Images/s of a unary training step as dpn train runs it (loader and augmentation on background"
        + " threads, forward, loss, backward, SGD) on a dataset's frames: median step; peak memory.")
public final class BenchTrainCommand implements Callable<Integer> {

  @Mixin ThreadsOption threads;

  @Option(names = "--net", defaultValue = "mobilenetv2",
      description = "The unary: mobilenetv2, vgg-lite, vgg16-dpn or deeplabv3-mnv2 (${DEFAULT-VALUE}).")
  String net;

  @Option(names = "--dataset", defaultValue = "camvid", paramLabel = "KIND", description = "Layout (${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--root", defaultValue = "../shared/data/camvid", paramLabel = "DIR",
      description = "The dataset's folder (${DEFAULT-VALUE}).")
  Path root;

  @Option(names = "--split", defaultValue = "train", description = "The split (${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--crop", defaultValue = "240x320", paramLabel = "HxW", description = "Crop (${DEFAULT-VALUE}).")
  String crop;

  @Option(names = "--batch", defaultValue = "8", description = "Crops per step (${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "8", description = "Timed steps (${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--workers", defaultValue = "2", description = "Loader threads (${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--photometric",
      description = "Add photometric augmentation (Photometric.MODERATE, as configs/camvid-heldout-0006R0.json).")
  boolean photometric;

  @Override
  public Integer call() throws Exception {
    int n = threads.apply();
    int[] hw = Sizes.parse(crop, "--crop");
    Dataset dataset = Datasets.open(kind, root);
    List<Sample> samples = dataset.samples(split);
    Photometric p = photometric ? Photometric.MODERATE : Photometric.NONE;
    TrainingThroughput.Result r = TrainingThroughput.run(dataset, samples,
        new TrainingThroughput.Settings(net, hw[0], hw[1], batch, warmup, steps, workers, p, 1));
    System.out.printf(Locale.ROOT,
        "%s, batch %d of %dx%d crops%s, %d threads, %d loader workers: median step %.0f ms (min %.0f, max %.0f;"
            + " %d steps after %d warm-up; median wait for the loader %.0f ms) = %.2f images/s; peak RSS %.0f MiB%n",
        net, batch, hw[0], hw[1], photometric ? " with photometric augmentation" : "", n, workers, r.medianMs(),
        r.minMs(), r.maxMs(), steps, warmup, r.medianWaitMs(), r.imagesPerSecond(), r.peakRssMiB());
    return 0;
  }
}

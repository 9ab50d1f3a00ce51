package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dpn4j.io.Images;
import org.dpn4j.model.ImageNetClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dpn classify}: the top ImageNet classes of images with the imported MobileNetV2. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    header = "Top-5 ImageNet classes with the imported MobileNetV2 (checks an import).",
    description = {
      "Top ImageNet classes of each image with the MobileNetV2 backbone imported from a TFLite file (a "
          + "check of the import): one line per class, rank, index (0 = background), name, probability. "
          + "Unreadable images are reported and skipped (exit code 2 at the end)."
    })
public final class ClassifyCommand extends ComputeCommand {

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images (PNG, JPEG, BMP, GIF).")
  List<Path> images;

  @Option(names = "--tflite", required = true, paramLabel = "FILE",
      description = "mobilenet_v2_1.0_224_quant.tflite (or the float model).")
  Path tflite;

  @Option(names = "--labels-file", paramLabel = "FILE",
      description = "Class names, one per line in output order (default: imagenet_labels.txt beside the model).")
  Path labelsFile;

  @Option(names = "--top", defaultValue = "5", description = "Classes per image (${DEFAULT-VALUE}).")
  int top;

  @Override
  protected Integer compute() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ImageNetClassifier classifier = ImageNetClassifier.open(tflite, labelsFile)) {
      return ImageBatch.run(
          "classify",
          images,
          err,
          image -> {
            List<ImageNetClassifier.Prediction> best = classifier.top(Images.read(image), top);
            out.println(image.getFileName());
            for (int r = 0; r < best.size(); r++) {
              ImageNetClassifier.Prediction p = best.get(r);
              out.printf(Locale.ROOT, "  %d  %4d  %-30s %.4f%n", r + 1, p.index(), p.label(), p.probability());
            }
            out.flush();
          });
    }
  }
}

package org.dpn4j.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.dpn4j.io.Safetensors;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.model.DpnModel;
import org.dpn4j.data.LabelSet;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.DeepLabV3;
import org.dpn4j.unary.MobileNetV2;
import org.dpn4j.unary.NamedTensors;
import org.dpn4j.unary.Vgg16Dpn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code dpn init}: a new model directory (or zip), the unary random or ImageNet-initialised, the
 * head at its initial values (docs/MODEL_FORMAT.md).
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    header = "Creates a model (unary random or ImageNet-initialised, head at its initial values).",
    description = {
      "Creates a model: the unary network random or ImageNet-initialised, the DPN head at its initial "
          + "values (w_rgb = w_xy = 1, b13 identity contexts). Writes a directory, or a zip when OUT ends in "
          + ".zip."
    })
public final class InitCommand extends ComputeCommand {

  /** The TFLite MobileNetV2 that {@code --imagenet} without a file means, relative to the working directory. */
  public static final Path DEFAULT_MOBILENET = Path.of("../shared/data/pretrained/mobilenet_v2_1.0_224_quant.tflite");

  private static final String DEFAULT_FILE = "<default>";

  @Option(names = "--unary", required = true, paramLabel = "NET",
      description = "vgg16-dpn, vgg-lite, mobilenetv2 or deeplabv3-mnv2 (DeepLabV3 on MobileNetV2, needs --tflite).")
  String unary;

  @Option(names = "--labels", required = true, paramLabel = "SET",
      description = "camvid, voc, cityscapes, or a LABELS.json file (names, colours, ignore).")
  String labels;

  @Option(names = "--imagenet", arity = "0..1", fallbackValue = DEFAULT_FILE, paramLabel = "WEIGHTS",
      description = "ImageNet initialisation: vgg16-dpn from torchvision's vgg16 tensors (safetensors),"
          + " mobilenetv2 from TF's TFLite file (without WEIGHTS: ../shared/data/pretrained/"
          + "mobilenet_v2_1.0_224_quant.tflite, relative to the working directory). vgg-lite has none.")
  String imagenet;

  @Option(names = "--tflite", paramLabel = "FILE",
      description = "Weights from a TFLite segmentation network on MobileNetV2 1.0, float or quantised (dequantised):"
          + " deeplabv3-mnv2 takes the whole network (e.g. ../shared/data/pretrained/deeplabv3_mnv2_pascal_quant.tflite"
          + " with --labels voc), mobilenetv2 its backbone only (its seg head stays random).")
  Path tflite;

  @Option(names = "--seed", defaultValue = "0", description = "Random seed of the initialisation (${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--width-divisor", defaultValue = "1", paramLabel = "D",
      description = "vgg16-dpn only: divide every width by D (1, 2, 4, ... 64) for small experiments (${DEFAULT-VALUE}).")
  int widthDivisor;

  @Option(names = "--out", required = true, paramLabel = "M", description = "The model to write (a new directory or .zip).")
  Path out;

  @Override
  protected Integer compute() throws IOException {
    ModelConfig config;
    try {
      config = ModelConfig.defaults(unary, LabelSet.resolve(labels)).withWidthDivisor(widthDivisor);
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    checkTfLite();
    if (imagenet != null && unary.equals("vgg-lite")) {
      throw new ParameterException(spec.commandLine(), "vgg-lite has no ImageNet weights: it is trained from scratch");
    }
    if (DEFAULT_FILE.equals(imagenet) && !unary.equals("mobilenetv2")) {
      throw new ParameterException(spec.commandLine(), "--imagenet needs the torchvision vgg16 safetensors file for " + unary);
    }
    if (Files.exists(out)) {
      throw new IOException(out + ": already exists; choose a new name");
    }
    Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    try (DpnModel model = DpnModel.create(config)) {
      String source = tflite != null ? loadTfLite(model) : imagenet == null ? "random" : loadImageNet(model);
      model.save(out);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s, %d labels, %,d unary parameters (%s), head at its initial values%n",
          out, config.architecture(), config.numLabels(), model.unary().parameterCount(), source);
    }
    return 0;
  }

  private void checkTfLite() {
    if (tflite != null && imagenet != null) {
      throw new ParameterException(spec.commandLine(), "--tflite and --imagenet exclude each other");
    }
    if (tflite == null && unary.equals("deeplabv3-mnv2")) {
      throw new ParameterException(spec.commandLine(), "deeplabv3-mnv2 is imported, not trained here: give --tflite FILE");
    }
    if (tflite != null && !unary.equals("deeplabv3-mnv2") && !unary.equals("mobilenetv2")) {
      throw new ParameterException(spec.commandLine(), "--tflite is for mobilenetv2 and deeplabv3-mnv2, not " + unary);
    }
  }

  /** Loads a TFLite segmentation network (whole, or its backbone for mobilenetv2); returns what it came from. */
  private String loadTfLite(DpnModel model) throws IOException {
    if (!Files.isRegularFile(tflite)) {
      throw new IOException(tflite + ": no such TFLite file");
    }
    TfLiteModel file = TfLiteModel.open(tflite);
    if (model.unary() instanceof DeepLabV3 net) {
      net.loadTfLite(file);
      return "DeepLabV3 from " + tflite.getFileName();
    }
    ((MobileNetV2) model.unary()).loadTfLiteBackbone(file);
    return "MobileNetV2 backbone from " + tflite.getFileName();
  }

  /** Loads the ImageNet weights into the unary; returns what they came from. */
  private String loadImageNet(DpnModel model) throws IOException {
    Path file = DEFAULT_FILE.equals(imagenet) ? DEFAULT_MOBILENET : Path.of(imagenet);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such ImageNet weights file");
    }
    if (model.unary() instanceof MobileNetV2 net) {
      net.loadTfLite(TfLiteModel.open(file));
    } else {
      try {
        ((Vgg16Dpn) model.unary()).loadImageNet(NamedTensors.of(Safetensors.open(file)));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return "ImageNet from " + file.getFileName();
  }
}

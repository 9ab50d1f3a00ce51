package org.dpn4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.io.TfLiteModel;
import org.dpn4j.unary.MobileNetV2;

/**
 * ImageNet classification with MobileNetV2 imported from TF's TFLite file: a check that the
 * imported backbone is the one the file holds. Images are fed as TensorFlow Lite is fed them:
 * resized bilinearly to 224 x 224, rounded to uint8 RGB, dequantised with the input tensor's
 * scale and zero point (x/128 - 1 for MobileNetV2).
 */
public final class ImageNetClassifier implements AutoCloseable {

  /** The input size of the ImageNet MobileNetV2. */
  public static final int SIZE = 224;

  /** One class of the ranking: its index in the 1001 outputs (0 = background), name and softmax probability. */
  public record Prediction(int index, String label, float probability) {}

  private final NDManager manager;
  private final MobileNetV2 net;
  private final ParameterStore store;
  private final TfLiteModel.Quantization input;
  private final List<String> labels;

  private ImageNetClassifier(TfLiteModel model, List<String> labels) throws IOException {
    this.manager = Engine.getEngine("PyTorch").newBaseManager();
    try {
      net = new MobileNetV2(1);
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, SIZE, SIZE));
      net.loadTfLite(model);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
    this.store = new ParameterStore(manager, false);
    this.input = model.main().tensor(model.main().inputs()[0]).quantization();
    this.labels = labels;
  }

  /**
   * Loads the TFLite MobileNetV2 and the class names ({@code labelsFile}, one per line in output
   * order; null: {@code imagenet_labels.txt} beside the model).
   */
  public static ImageNetClassifier open(Path tflite, Path labelsFile) throws IOException {
    Path names = labelsFile != null ? labelsFile : tflite.toAbsolutePath().resolveSibling("imagenet_labels.txt");
    if (!Files.isRegularFile(names)) {
      throw new IOException(names + ": no such labels file (one class name per line; --labels-file)");
    }
    List<String> labels = Files.readAllLines(names, StandardCharsets.UTF_8);
    while (!labels.isEmpty() && labels.get(labels.size() - 1).isBlank()) {
      labels.remove(labels.size() - 1);
    }
    if (labels.size() != MobileNetV2.IMAGENET_CLASSES) {
      throw new IOException(names + ": " + labels.size() + " class names, the model has "
          + MobileNetV2.IMAGENET_CLASSES + " outputs");
    }
    return new ImageNetClassifier(TfLiteModel.open(tflite), labels);
  }

  /** The {@code n} most probable classes of {@code image}, best first. */
  public List<Prediction> top(BufferedImage image, int n) {
    Maps rgb = Images.resizeBilinear(Images.toRgb(image), SIZE, SIZE);
    float[] x = new float[rgb.data.length];
    for (int i = 0; i < x.length; i++) {
      long q = Math.max(0, Math.min(255, Math.round(rgb.data[i] * 255)));
      x[i] = input.scale(0) * (q - input.zeroPoint(0));
    }
    try (NDManager m = manager.newSubManager()) {
      float[] p = net.classify(store, m.create(x, new Shape(1, 3, SIZE, SIZE)), false).softmax(1).toFloatArray();
      List<Prediction> out = new ArrayList<>();
      boolean[] taken = new boolean[p.length];
      for (int r = 0; r < Math.min(n, p.length); r++) {
        int best = -1;
        for (int i = 0; i < p.length; i++) {
          if (!taken[i] && (best < 0 || p[i] > p[best])) {
            best = i;
          }
        }
        taken[best] = true;
        out.add(new Prediction(best, labels.get(best), p[best]));
      }
      return out;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}

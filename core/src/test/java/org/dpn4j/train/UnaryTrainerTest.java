package org.dpn4j.train;

import org.dpn4j.testing.Integration;

import org.dpn4j.testing.SharedData;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.LabelledImage;
import org.dpn4j.data.Sample;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.NamedTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage unary on 4 CamVid training frames, 64 x 96 crops, vgg-lite. */
@Integration
class UnaryTrainerTest {

  static final Path CAMVID = SharedData.path("camvid");

  static Dataset dataset;
  static List<Sample> samples;

  @TempDir Path tmp;

  @BeforeAll
  static void open() throws IOException {
    dataset = Datasets.open("camvid", CAMVID);
    samples = dataset.samples("train").subList(0, 4);
  }

  static DpnModel newModel() {
    return DpnModel.create(ModelConfig.defaults("vgg-lite", dataset.labels()));
  }

  /** Whole frames at about 1/5 scale (crops of 64 x 96), so that 4 frames can be learnt in a few steps. */
  static Augmentation augmentation(DpnModel model) {
    return new Augmentation(0.18, 0.22, 64, 96, true, model.config().input().normalisation(), dataset.labels().ignore());
  }

  static UnaryTrainer trainer(DpnModel model, long iterations) {
    return UnaryTrainer.start(model, Sgd.defaults(), new PolySchedule(0.003, iterations),
        CrossEntropy.unweighted(dataset.labels().ignore()), 7);
  }

  static UnaryStageRun run(DpnModel model) {
    return new UnaryStageRun(dataset, samples, augmentation(model), 2, 1);
  }

  /** Saves {@code model} to {@code dir} and closes it: the start that runs then load. */
  static Path savedAndClosed(DpnModel model, Path dir) throws IOException {
    try (model) {
      model.save(dir);
    }
    return dir;
  }

  /** The 4 frames, each as one fixed crop. */
  static List<LabelledImage> fixedBatch(DpnModel model) throws IOException {
    List<LabelledImage> b = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      b.add(augmentation(model).apply(dataset.read(samples.get(i)), 1000 + i));
    }
    return b;
  }

  @Test
  void trainingLowersTheLossAndLeavesTheHeadAlone() throws IOException {
    try (DpnModel model = newModel(); UnaryTrainer t = trainer(model, 32)) {
      Map<String, NamedTensors.Tensor> before = model.tensors();
      List<LabelledImage> fixed = fixedBatch(model);
      double initial = t.evaluate(fixed);
      List<Double> losses = new ArrayList<>();
      ai.djl.ndarray.NDManager modelArrays = model.unary().namedParameters().values().iterator().next().getArray().getManager();
      t.step(fixed.subList(0, 2));
      int arrays = modelArrays.getManagedArrays().size();
      t.step(fixed.subList(2, 4));
      assertEquals(arrays, modelArrays.getManagedArrays().size(), "a step leaves arrays in the model's manager");
      run(model).run(t, Long.MAX_VALUE, tmp.resolve("ckpt"), 0, tmp.resolve("log.csv"));
      Files.readAllLines(tmp.resolve("log.csv")).stream().skip(1).forEach(l -> losses.add(Double.parseDouble(l.split(",")[3])));
      double trained = t.evaluate(fixed);
      System.out.printf("fixed-batch loss %.4f -> %.4f%n", initial, trained);
      assertEquals(32, t.iteration());
      assertEquals(30, losses.size());
      assertTrue(trained < 0.7 * initial, "loss " + initial + " -> " + trained);
      Map<String, NamedTensors.Tensor> after = model.tensors();
      int changed = 0;
      for (String name : before.keySet()) {
        boolean same = java.util.Arrays.equals(before.get(name).values(), after.get(name).values());
        if (name.startsWith(DpnModel.UNARY_PREFIX)) {
          changed += same ? 0 : 1;
        } else {
          assertTrue(same, "head tensor " + name + " changed");
        }
      }
      assertTrue(changed > 0);
      assertEquals(31, Files.readAllLines(tmp.resolve("log.csv")).size());
      assertTrue(Files.exists(tmp.resolve("ckpt").resolve(Checkpoint.STATE_FILE)));
    }
  }

  @Test
  void mobileNetV2LearnsAFixedBatch() throws IOException {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("mobilenetv2", dataset.labels()));
        UnaryTrainer t = trainer(model, 8)) {
      List<LabelledImage> fixed = fixedBatch(model);
      double initial = t.evaluate(fixed);
      for (int i = 0; i < 8; i++) {
        t.step(fixed);
      }
      double trained = t.evaluate(fixed);
      assertTrue(trained < 0.9 * initial, "loss " + initial + " -> " + trained);
    }
  }

  /**
   * Two steps against PyTorch's SGD written out on the engine's gradients (taken here with a
   * GradientCollector of the test's own): d = g + wd p, v = mu v + d, p -= lr v. MobileNetV2 has
   * no dropout, so the test's forward is the trainer's.
   */
  @Test
  void aStepIsPyTorchsSgdOnTheEnginesGradient() throws IOException {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("mobilenetv2", dataset.labels()));
        UnaryTrainer t = trainer(model, 4)) {
      List<LabelledImage> batch = fixedBatch(model).subList(0, 2);
      Sgd sgd = t.sgd();
      Map<String, float[]> v = new java.util.HashMap<>();
      for (int step = 0; step < 2; step++) {
        Map<String, float[]> p = parameters(model);
        Map<String, float[]> g = gradients(model, batch);
        double lr = t.step(batch).lr();
        Map<String, float[]> after = parameters(model);
        for (String n : p.keySet()) {
          float[] vn = v.computeIfAbsent(n, k -> new float[p.get(k).length]);
          float[] pn = p.get(n);
          float[] gn = g.get(n);
          float[] an = after.get(n);
          for (int i = 0; i < pn.length; i++) {
            vn[i] = sgd.momentum() * vn[i] + (gn[i] + sgd.weightDecay() * pn[i]);
            float expected = pn[i] - (float) lr * vn[i];
            assertEquals(expected, an[i], 1e-6 + 1e-5 * Math.abs(expected), n + "[" + i + "], step " + step);
          }
        }
      }
    }
  }

  static Map<String, float[]> parameters(DpnModel model) {
    Map<String, float[]> p = new java.util.LinkedHashMap<>();
    model.unary().namedParameters().forEach((n, q) -> p.put(n, q.getArray().toFloatArray()));
    return p;
  }

  /** dL/dp of the batch's loss in training mode; the gradients are set back to 0. */
  static Map<String, float[]> gradients(DpnModel model, List<LabelledImage> batch) {
    Map<String, float[]> g = new java.util.LinkedHashMap<>();
    ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
    try (ai.djl.ndarray.NDManager m = engine.newBaseManager()) {
      int h = batch.get(0).h();
      int w = batch.get(0).w();
      float[] x = new float[batch.size() * 3 * h * w];
      int[] y = new int[batch.size() * h * w];
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(batch.get(i).image().data, 0, x, i * 3 * h * w, 3 * h * w);
        System.arraycopy(batch.get(i).labels(), 0, y, i * h * w, h * w);
      }
      try (ai.djl.training.GradientCollector gc = engine.newGradientCollector()) {
        ai.djl.ndarray.NDArray logits = model.unary().logits(new ai.djl.training.ParameterStore(m, false),
            m.create(x, new ai.djl.ndarray.types.Shape(batch.size(), 3, h, w)), true);
        gc.backward(CrossEntropy.unweighted(dataset.labels().ignore())
            .ofLogits(logits, m.create(y, new ai.djl.ndarray.types.Shape(batch.size(), h, w))));
      }
      model.unary().namedParameters().forEach((n, q) -> {
        ai.djl.ndarray.NDArray grad = q.getArray().getGradient();
        grad.attach(m);
        g.put(n, grad.toFloatArray());
        grad.subi(grad);
      });
    }
    return g;
  }

  @Test
  void resumeRestoresTheRunBitForBitAndContinuesAsAnUninterruptedRun() throws IOException {
    Path init = savedAndClosed(newModel(), tmp.resolve("init"));
    Map<String, NamedTensors.Tensor> uninterrupted;
    try (DpnModel model = DpnModel.load(init); UnaryTrainer t = trainer(model, 6)) {
      run(model).run(t, Long.MAX_VALUE, tmp.resolve("a"), 0, tmp.resolve("a.csv"));
      uninterrupted = model.tensors();
    }
    Path ckpt = tmp.resolve("ckpt");
    Map<String, NamedTensors.Tensor> saved;
    Map<String, float[]> savedMomentum;
    try (DpnModel model = DpnModel.load(init); UnaryTrainer t = trainer(model, 6)) {
      run(model).run(t, 3, ckpt, 0, tmp.resolve("log.csv"));
      assertEquals(3, t.iteration());
      saved = model.tensors();
      savedMomentum = t.momentumBuffers();
    }
    UnaryTrainer resumed = UnaryTrainer.resume(ckpt);
    try (DpnModel model = resumed.model(); resumed) {
      assertEquals(3, resumed.iteration());
      assertEquals(7, resumed.seed());
      assertEquals(6, resumed.schedule().maxIterations());
      assertTensorsEqual(saved, model.tensors());
      Map<String, float[]> m = resumed.momentumBuffers();
      assertEquals(savedMomentum.keySet(), m.keySet());
      savedMomentum.forEach((n, v) -> assertArrayEquals(v, m.get(n), n));
      assertTrue(savedMomentum.values().stream().anyMatch(v -> v[0] != 0));
      run(model).run(resumed, Long.MAX_VALUE, ckpt, 0, tmp.resolve("log.csv"));
      assertEquals(6, resumed.iteration());
      assertEquals(7, Files.readAllLines(tmp.resolve("log.csv")).size());
      // On the CPU engine (2 threads) the same steps give the same floats: resuming changes nothing.
      assertTensorsEqual(uninterrupted, model.tensors());
    }
    try (UnaryTrainer finished = UnaryTrainer.resume(ckpt); DpnModel model = finished.model()) {
      assertEquals(6, finished.iteration());
      assertTensorsEqual(uninterrupted, model.tensors());
    }
  }

  static void assertTensorsEqual(Map<String, NamedTensors.Tensor> expected, Map<String, NamedTensors.Tensor> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((n, v) -> assertArrayEquals(v.values(), actual.get(n).values(), n));
  }
}

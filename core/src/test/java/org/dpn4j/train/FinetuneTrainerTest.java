package org.dpn4j.train;

import org.dpn4j.testing.Integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

/** Stages finetune and joint on 4 CamVid training frames at about 1/7 scale (crops 48 x 64), vgg-lite. */
@Integration
class FinetuneTrainerTest {

  static Dataset dataset;
  static List<Sample> samples;

  @TempDir Path tmp;

  @BeforeAll
  static void open() throws IOException {
    dataset = Datasets.open("camvid", UnaryTrainerTest.CAMVID);
    samples = dataset.samples("train").subList(0, 4);
  }

  /**
   * The engine's seed before a model is created: the unary's random initialisation comes from the
   * engine's generator, whose state otherwise depends on what ran before in the JVM, so each run
   * started from other weights and the loss fell by more or less.
   */
  static final int INIT_SEED = 4;

  /** A vgg-lite DPN (unary initialised from {@link #INIT_SEED}) whose head is not at its identity start: w_rgb = 2, w_xy = 0.5. */
  static DpnModel newModel() {
    Engine.getEngine("PyTorch").setRandomSeed(INIT_SEED);
    DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", dataset.labels()));
    m.head().b12().wRgb()[0] = 2;
    m.head().b12().wXy()[0] = 0.5f;
    return m;
  }

  static Augmentation augmentation(DpnModel model, int h, int w) {
    return new Augmentation(0.13, 0.15, h, w, true, model.config().input().normalisation(), dataset.labels().ignore());
  }

  static FinetuneTrainer trainer(DpnModel model, Stage stage, long iterations) {
    return FinetuneTrainer.start(model, stage, Sgd.defaults(), new PolySchedule(0.003, iterations), Sgd.defaults(),
        new PolySchedule(1, iterations), CrossEntropy.unweighted(dataset.labels().ignore()), 7);
  }

  static UnaryStageRun run(DpnModel model) {
    return new UnaryStageRun(dataset, samples, augmentation(model, 48, 64), 2, 1);
  }

  static List<LabelledImage> fixedBatch(DpnModel model, int h, int w) throws IOException {
    List<LabelledImage> b = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      b.add(augmentation(model, h, w).apply(dataset.read(samples.get(i)), 1000 + i));
    }
    return b;
  }

  @Test
  void finetuneLowersTheLossOnAFixedBatchAndTrainsUnaryAndHead() throws IOException {
    try (DpnModel model = newModel(); FinetuneTrainer t = trainer(model, Stage.FINETUNE, 12)) {
      List<LabelledImage> fixed = fixedBatch(model, 48, 64);
      Map<String, NamedTensors.Tensor> before = model.tensors();
      double initial = t.evaluate(fixed);
      for (int i = 0; i < 12; i++) {
        t.step(fixed);
      }
      double trained = t.evaluate(fixed);
      System.out.printf("finetune, fixed-batch loss %.4f -> %.4f%n", initial, trained);
      assertTrue(trained < 0.8 * initial, "loss " + initial + " -> " + trained);
      Map<String, NamedTensors.Tensor> after = model.tensors();
      for (String name : List.of("unary.b1.conv1.weight", "unary.b11.weight", "unary.b11.bias",
          "head.b12.w_rgb", "head.b12.w_xy", "head.b13.weight")) {
        assertFalse(Arrays.equals(before.get(name).values(), after.get(name).values()), name + " did not change");
      }
      assertEquals(12, t.iteration());
    }
  }

  /** Joint starts from the initial head and adds b13's noise to the components k >= 1, as stage contexts does. */
  @Test
  void jointAddsTheContextsNoiseOnceAndTrains() throws IOException {
    try (DpnModel model = DpnModel.create(ModelConfig.defaults("vgg-lite", dataset.labels()))) {
      float[] identity = model.head().b13().weights().clone();
      try (FinetuneTrainer t = trainer(model, Stage.JOINT, 2)) {
        float[] started = model.head().b13().weights().clone();
        assertFalse(Arrays.equals(identity, started));
        double first = t.step(fixedBatch(model, 48, 64).subList(0, 2)).loss();
        assertTrue(first > 0 && Double.isFinite(first));
        assertFalse(Arrays.equals(started, model.head().b13().weights()));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> {
      try (DpnModel model = newModel()) {
        trainer(model, Stage.CONTEXTS, 2);
      }
    });
  }

  /**
   * The surrogate gives the whole network's gradient: d L / d (one unary weight) from
   * {@link FinetuneTrainer#gradients} against a central difference of L (unary + head, evaluation
   * mode) on two 24 x 32 crops, for b11's largest-gradient bias and a weight of the first convolution.
   */
  @Test
  void theSurrogateGivesTheUnaryGradientOfTheHeadsLoss() throws IOException {
    try (DpnModel model = newModel(); FinetuneTrainer t = trainer(model, Stage.FINETUNE, 1)) {
      List<LabelledImage> batch = fixedBatch(model, 24, 32).subList(0, 2);
      FinetuneTrainer.Gradients g = t.gradients(batch, false);
      assertEquals(t.evaluate(batch), g.loss(), 1e-6);
      for (String name : List.of("b11.bias", "b1.conv1.weight")) {
        float[] grad = g.unary().get(name);
        int at = 0;
        for (int i = 1; i < grad.length; i++) {
          at = Math.abs(grad[i]) > Math.abs(grad[at]) ? i : at;
        }
        NDArray p = model.unary().namedParameters().get(name).getArray();
        float[] values = p.toFloatArray();
        float eps = name.startsWith("b11") ? 1e-2f : 1e-3f;
        double[] loss = new double[2];
        for (int s = 0; s < 2; s++) {
          float[] moved = values.clone();
          moved[at] += s == 0 ? eps : -eps;
          p.set(moved);
          loss[s] = t.evaluate(batch);
        }
        p.set(values);
        double numeric = (loss[0] - loss[1]) / (2 * eps);
        System.out.printf("%s[%d]: surrogate %.6g, central difference %.6g%n", name, at, grad[at], numeric);
        assertTrue(Math.abs(grad[at]) > 1e-4, name + " gradient too small to test: " + grad[at]);
        assertEquals(numeric, grad[at], 0.02 * Math.abs(numeric) + 1e-5, name + "[" + at + "]");
      }
    }
  }

  @Test
  void resumeContinuesBitForBitAsAnUninterruptedRun() throws IOException {
    Path init = UnaryTrainerTest.savedAndClosed(newModel(), tmp.resolve("init"));
    Map<String, NamedTensors.Tensor> uninterrupted;
    Map<String, float[]> momentum;
    float[] headMomentum;
    try (DpnModel model = DpnModel.load(init); FinetuneTrainer t = trainer(model, Stage.JOINT, 4)) {
      run(model).run(t, Long.MAX_VALUE, tmp.resolve("a"), 0, tmp.resolve("a.csv"));
      uninterrupted = model.tensors();
      momentum = t.momentumBuffers();
      headMomentum = t.headOptimiser().state(model.head().b13().weights()).buffers().get(Sgd.MOMENTUM);
    }
    Path ckpt = tmp.resolve("ckpt");
    try (DpnModel model = DpnModel.load(init); FinetuneTrainer t = trainer(model, Stage.JOINT, 4)) {
      run(model).run(t, 2, ckpt, 0, tmp.resolve("log.csv"));
      assertEquals(2, t.iteration());
    }
    FinetuneTrainer resumed = FinetuneTrainer.resume(ckpt);
    try (DpnModel model = resumed.model(); resumed) {
      assertEquals(2, resumed.iteration());
      assertEquals(Stage.JOINT, resumed.stage());
      assertEquals(7, resumed.seed());
      assertEquals(1, resumed.headSchedule().base());
      assertEquals(0.003, resumed.schedule().base());
      run(model).run(resumed, Long.MAX_VALUE, ckpt, 0, tmp.resolve("log.csv"));
      assertEquals(4, resumed.iteration());
      assertEquals(5, Files.readAllLines(tmp.resolve("log.csv")).size());
      UnaryTrainerTest.assertTensorsEqual(uninterrupted, model.tensors());
      Map<String, float[]> m = resumed.momentumBuffers();
      momentum.forEach((n, v) -> assertArrayEquals(v, m.get(n), n));
      assertArrayEquals(headMomentum,
          resumed.headOptimiser().state(model.head().b13().weights()).buffers().get(Sgd.MOMENTUM));
    }
    try (FinetuneTrainer finished = FinetuneTrainer.resume(ckpt); DpnModel model = finished.model()) {
      assertEquals(4, finished.iteration());
      UnaryTrainerTest.assertTensorsEqual(uninterrupted, model.tensors());
    }
    IOException wrong = assertThrows(IOException.class, () -> UnaryTrainer.resume(ckpt));
    assertTrue(wrong.getMessage().contains("stage unary"), wrong.getMessage());
  }
}

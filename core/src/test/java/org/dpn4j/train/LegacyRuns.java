package org.dpn4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dpn4j.data.Augmentation;
import org.dpn4j.data.Dataset;
import org.dpn4j.data.Datasets;
import org.dpn4j.data.Sample;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.TriplePenalty3d;
import org.dpn4j.model.DpnModel;
import org.dpn4j.model.ModelConfig;
import org.dpn4j.unary.NamedTensors;

/**
 * The tiny runs behind the checkpoints in {@code src/test/resources/legacy-checkpoints}, written by
 * the code before the checkpoint mechanism became one (commit 135c848): how each run was set up, how
 * it continues, and a digest of the parameters it ends with. {@link LegacyCheckpointTest} resumes
 * those directories with today's code and compares the digest with the one the old code gave.
 */
final class LegacyRuns {

  static final Path CAMVID = Path.of("../shared/data/camvid");
  static final long HEAD_ITERATIONS = 10;
  static final long BATCH_ITERATIONS = 4;
  static final long TEMPORAL_ITERATIONS = 6;

  private LegacyRuns() {}

  /** "avx512" where /proc/cpuinfo lists avx512f, else "avx2": the two kinds {@code expected.txt} knows. */
  static String cpuKind() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    boolean avx512 = Files.exists(cpuinfo) && Files.readString(cpuinfo).contains(" avx512f");
    return avx512 ? "avx512" : "avx2";
  }

  static HeadTrainer headRun(Stage stage, Optimiser opt) {
    CrossEntropy loss = new CrossEntropy(TinyProblem.IGNORE, new double[] {1.5, 0.75, 1});
    return HeadTrainer.start(TinyProblem.head(), stage, opt, new PolySchedule(0.5, HEAD_ITERATIONS), loss, 99);
  }

  /** Steps {@code t} to {@code until} on the tiny problem's samples of (seed, iteration). */
  static void headSteps(HeadTrainer t, long until) {
    while (t.iteration() < until) {
      TinyProblem.Sample s = TinyProblem.sample(t.seed() * 1000 + t.iteration());
      t.step(s.p(), s.image(), s.labels());
    }
  }

  static String headDigest(DpnHead head) {
    Map<String, float[]> m = new TreeMap<>();
    for (HeadParameter p : HeadParameter.values()) {
      m.put(p.tensorName(head), p.values(head));
    }
    return digest(m);
  }

  static Dataset camvid() throws IOException {
    return Datasets.open("camvid", CAMVID);
  }

  static List<Sample> samples(Dataset d) throws IOException {
    return d.samples("train").subList(0, 2);
  }

  /** vgg16-dpn at width / 64: a whole DPN of a few thousand parameters. */
  static DpnModel newModel(Dataset d) {
    return DpnModel.create(ModelConfig.defaults("vgg16-dpn", d.labels()).withWidthDivisor(64));
  }

  static UnaryStageRun batchRun(Dataset d, DpnModel model) throws IOException {
    Augmentation aug = new Augmentation(0.13, 0.15, 48, 64, true, model.config().input().normalisation(),
        d.labels().ignore());
    return new UnaryStageRun(d, samples(d), aug, 2, 1);
  }

  static String modelDigest(DpnModel model) {
    Map<String, float[]> m = new TreeMap<>();
    for (Map.Entry<String, NamedTensors.Tensor> e : model.tensors().entrySet()) {
      m.put(e.getKey(), e.getValue().values());
    }
    return digest(m);
  }

  static DpnHead3d temporalHead() {
    return DpnHead3d.from(TinyProblem.head(), 5);
  }

  static TemporalHeadTrainer temporalRun(DpnHead3d head) {
    return new TemporalHeadTrainer(head, Sgd.defaults(), new PolySchedule(0.5, TEMPORAL_ITERATIONS),
        CrossEntropy.unweighted(TinyProblem.IGNORE), 3, false);
  }

  /** Three frames of the tiny problem, each with its next sample as a neighbour. */
  static TemporalHeadTrainer.Examples temporalExamples() {
    List<TemporalHeadTrainer.Example> list = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TinyProblem.Sample s = TinyProblem.sample(40 + i);
      TinyProblem.Sample n = TinyProblem.sample(50 + i);
      list.add(new TemporalHeadTrainer.Example(new TriplePenalty3d.Frames(s.p(), s.image(),
          new TriplePenalty3d.Neighbour(n.p(), n.image()), null), s.labels()));
    }
    return new TemporalHeadTrainer.Examples() {
      public int size() {
        return list.size();
      }

      public TemporalHeadTrainer.Example get(int i) {
        return list.get(i);
      }
    };
  }

  static String temporalDigest(DpnHead3d head) {
    Map<String, float[]> m = new TreeMap<>();
    for (TemporalHeadTrainer.Parameter p : TemporalHeadTrainer.Parameter.values()) {
      m.put(p.tensorName(), p.values(head));
    }
    return digest(m);
  }

  /** SHA-256 over the names and the float bits, in name order. */
  static String digest(Map<String, float[]> tensors) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, float[]> e : new TreeMap<>(tensors).entrySet()) {
        md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(4 * e.getValue().length);
        for (float f : e.getValue()) {
          b.putInt(Float.floatToRawIntBits(f));
        }
        md.update(b.array());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

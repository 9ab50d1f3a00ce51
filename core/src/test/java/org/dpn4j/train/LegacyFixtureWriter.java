package org.dpn4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.data.Dataset;
import org.dpn4j.model.DpnModel;
import org.junit.jupiter.api.Test;

/** Run once with the old code to write the fixtures (removed afterwards). */
class LegacyFixtureWriter {
  static final Path OUT = Path.of("core/src/test/resources/legacy-checkpoints");

  @Test
  void write() throws Exception {
    StringBuilder expected = new StringBuilder();
    // head: triple with SGD, contexts with Adam, saved at 5 of 10
    for (Object[] o : new Object[][] {{"triple-sgd", Stage.TRIPLE, Sgd.defaults()}, {"contexts-adam", Stage.CONTEXTS, Adam.defaults()}}) {
      HeadTrainer t = LegacyRuns.headRun((Stage) o[1], (Optimiser) o[2]);
      LegacyRuns.headSteps(t, 5);
      Checkpoint.save(OUT.resolve((String) o[0]), t);
      HeadTrainer r = Checkpoint.load(OUT.resolve((String) o[0]), TinyProblem.head());
      LegacyRuns.headSteps(r, LegacyRuns.HEAD_ITERATIONS);
      expected.append(o[0]).append(' ').append(LegacyRuns.headDigest(r.head())).append('\n');
    }
    Dataset d = LegacyRuns.camvid();
    try (DpnModel model = LegacyRuns.newModel(d);
        UnaryTrainer t = UnaryTrainer.start(model, Sgd.defaults(), new PolySchedule(0.003, LegacyRuns.BATCH_ITERATIONS),
            CrossEntropy.unweighted(d.labels().ignore()), 7)) {
      Path tmp = Files.createTempDirectory("legacy");
      LegacyRuns.batchRun(d, model).run(t, 2, OUT.resolve("unary"), 0, tmp.resolve("log.csv"), p -> {});
    }
    UnaryTrainer u = UnaryCheckpoint.load(OUT.resolve("unary"));
    try (DpnModel model = u.model(); u) {
      Path tmp = Files.createTempDirectory("legacy");
      LegacyRuns.batchRun(d, model).run(u, Long.MAX_VALUE, tmp.resolve("ck"), 0, tmp.resolve("log.csv"), p -> {});
      expected.append("unary ").append(LegacyRuns.modelDigest(model)).append('\n');
    }
    try (DpnModel model = LegacyRuns.newModel(d);
        FinetuneTrainer t = FinetuneTrainer.start(model, Stage.JOINT, Sgd.defaults(),
            new PolySchedule(0.003, LegacyRuns.BATCH_ITERATIONS), Adam.defaults(),
            new PolySchedule(0.01, LegacyRuns.BATCH_ITERATIONS), CrossEntropy.unweighted(d.labels().ignore()), 7)) {
      Path tmp = Files.createTempDirectory("legacy");
      LegacyRuns.batchRun(d, model).run(t, 2, OUT.resolve("joint-adam"), 0, tmp.resolve("log.csv"), p -> {});
    }
    FinetuneTrainer f = FinetuneCheckpoint.load(OUT.resolve("joint-adam"));
    try (DpnModel model = f.model(); f) {
      Path tmp = Files.createTempDirectory("legacy");
      LegacyRuns.batchRun(d, model).run(f, Long.MAX_VALUE, tmp.resolve("ck"), 0, tmp.resolve("log.csv"), p -> {});
      expected.append("joint-adam ").append(LegacyRuns.modelDigest(model)).append('\n');
    }
    TemporalHeadTrainer tt = LegacyRuns.temporalRun(LegacyRuns.temporalHead());
    Path tmp = Files.createTempDirectory("legacy");
    TemporalHeadTrainer.Examples ex = LegacyRuns.temporalExamples();
    // stop at 3 by running a 3-iteration copy? Use checkpoint every 3 and a crash at serve 4.
    TemporalHeadTrainer.Examples crashing = new TemporalHeadTrainer.Examples() {
      int served;
      public int size() { return ex.size(); }
      public TemporalHeadTrainer.Example get(int i) throws java.io.IOException {
        if (served++ == 4) { throw new java.io.IOException("stop"); }
        return ex.get(i);
      }
    };
    try {
      tt.run(crashing, OUT.resolve("temporal"), 3, (s, n) -> {});
    } catch (java.io.IOException expectedStop) {
      // saved at 3
    }
    TemporalHeadTrainer tr = TemporalCheckpoint.load(OUT.resolve("temporal"), LegacyRuns.temporalHead());
    if (tr.iteration() != 3) throw new AssertionError(tr.iteration());
    tr.run(ex, tmp.resolve("ck"), 0, (s, n) -> {});
    expected.append("temporal ").append(LegacyRuns.temporalDigest(tr.head())).append('\n');
    Files.writeString(OUT.resolve("expected.txt"), expected.toString());
  }
}

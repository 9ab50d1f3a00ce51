package org.dpn4j.train;

import org.dpn4j.testing.RunConfigs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head stages' keys of a training configuration, and where each stage keeps its files. */
class HeadStagesConfigTest {

  @TempDir Path dir;

  ObjectNode config() throws IOException {
    return RunConfigs.parse("""
        {"model": "init",
         "dataset": {"kind": "camvid", "root": "data", "split": "train"},
         "crop": {"height": 64, "width": 96},
         "batchSize": 2, "baseLr": 0.003, "iterations": 4, "seed": 1, "classWeights": true,
         "checkpoint": {"dir": "runs/ckpt", "interval": 2},
         "output": "runs/model.zip"}
        """);
  }

  Path write(ObjectNode c) throws IOException {
    return RunConfigs.write(dir, c);
  }

  @Test
  void defaultsAreTheHeadOnlyTrainingsAndKeysAreRead() throws IOException {
    HeadStagesConfig d = HeadStagesConfig.read(write(config()));
    assertEquals(new HeadStagesConfig.StageSettings(1000, 1, "sgd", null), d.triple());
    assertEquals(new HeadStagesConfig.StageSettings(1000, 1, "sgd", null), d.contexts());
    assertTrue(d.triple().weighted(true), "the file's choice when the stage has none");
    assertEquals(List.of(1.0), d.cacheScales());
    assertNull(d.cacheDir());

    ObjectNode c = config();
    c.putObject("triple").put("iterations", 50).put("optimiser", "adam").put("classWeights", false);
    c.putObject("contexts").put("lr", 0.25);
    ObjectNode cache = c.putObject("cache").put("dir", "logits");
    cache.putArray("scales").add(0.5).add(0.75).add(1).add(1.25).add(1.5).add(1.75).add(2);
    Path f = write(c);
    HeadStagesConfig h = HeadStagesConfig.read(f);
    assertEquals(new HeadStagesConfig.StageSettings(50, 0.01, "adam", false), h.triple());
    assertFalse(h.triple().weighted(true), "the stage's own choice wins");
    assertEquals(new HeadStagesConfig.StageSettings(1000, 0.25, "sgd", null), h.of(Stage.CONTEXTS));
    assertTrue(h.triple().optimiserFactory().get() instanceof Adam);
    assertTrue(h.contexts().optimiserFactory().get() instanceof Sgd);
    assertEquals(List.of(0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0), h.cacheScales());
    assertEquals(dir.resolve("logits").toAbsolutePath().normalize(), h.cacheDir());
    UnaryTrainingConfig.read(f); // the unary's reader accepts the head stages' keys
  }

  @Test
  void badHeadKeysAreRefusedNamingFileAndKey() throws IOException {
    assertRefused(c -> c.putObject("triple").put("iteration", 5), "unknown key 'triple.iteration'");
    assertRefused(c -> c.putObject("contexts").put("optimiser", "rmsprop"), "'contexts.optimiser' must be sgd or adam");
    assertRefused(c -> c.putObject("triple").put("lr", 0), "'triple.lr' must be a positive number");
    assertRefused(c -> c.putObject("triple").put("iterations", 0), "'triple.iterations' must be an integer >= 1");
    assertRefused(c -> c.put("contexts", 3), "'contexts' must be an object");
    assertRefused(c -> c.putObject("cache").putArray("scales"), "'cache.scales' must be a non-empty array");
    assertRefused(c -> c.putObject("cache").putArray("scales").add(1).add(-0.5), "'cache.scales' must be");
    assertRefused(c -> c.putObject("cache").put("scales", 1), "'cache.scales' must be");
    assertRefused(c -> c.putObject("cache").put("size", 1), "unknown key 'cache.size'");
  }

  @Test
  void eachStageHasItsOutputCheckpointLogAndStart() throws IOException {
    StageFiles f = new StageFiles(UnaryTrainingConfig.read(write(config())));
    Path runs = dir.resolve("runs").toAbsolutePath().normalize();
    assertEquals(runs.resolve("model.zip"), f.output(Stage.UNARY));
    assertEquals(runs.resolve("model-triple.zip"), f.output(Stage.TRIPLE));
    assertEquals(runs.resolve("model-contexts.zip"), f.output(Stage.CONTEXTS));
    assertEquals(runs.resolve("ckpt"), f.checkpoint(Stage.UNARY));
    assertEquals(runs.resolve("ckpt-contexts"), f.checkpoint(Stage.CONTEXTS));
    assertEquals(runs.resolve("model-triple-training-log.csv"), f.log(Stage.TRIPLE));
    assertEquals(runs.resolve("ckpt-logits"), f.logitsCache());
    Path init = dir.resolve("init").toAbsolutePath().normalize();
    assertEquals(init, f.start(Stage.UNARY));
    assertEquals(init, f.start(Stage.TRIPLE), "no unary output yet: the configuration's model");
    Files.createDirectories(runs);
    Files.writeString(runs.resolve("model.zip"), "");
    assertEquals(runs.resolve("model.zip"), f.start(Stage.TRIPLE));
    assertEquals(init, f.start(Stage.CONTEXTS));
  }

  @Test
  void theExampleConfigurationsReadAndKeepTheirRunsOutsideTheRepository() throws IOException {
    Path repo = Path.of("").toAbsolutePath();
    for (String kind : List.of("camvid", "voc", "cityscapes")) {
      Path file = Path.of("configs", kind + "-mobilenetv2.json");
      UnaryTrainingConfig c = UnaryTrainingConfig.read(file);
      HeadStagesConfig h = HeadStagesConfig.read(file);
      assertEquals(kind, c.datasetKind());
      for (Path p : List.of(c.model(), c.output(), c.checkpointDir(), c.datasetRoot())) {
        assertTrue(!p.startsWith(repo), file + ": " + p + " lies inside the repository");
      }
      assertEquals(h.triple(), h.of(Stage.TRIPLE));
      assertTrue(h.cacheScales().stream().allMatch(x -> x > 0 && x <= 2), file.toString());
    }
  }

  private void assertRefused(Consumer<ObjectNode> change, String message) throws IOException {
    ObjectNode c = config();
    change.accept(c);
    Path f = write(c);
    IOException e = assertThrows(IOException.class, () -> HeadStagesConfig.read(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(message), e.getMessage());
  }
}

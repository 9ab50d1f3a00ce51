package org.dpn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "finetune" and "joint" objects of a training configuration: defaults, overrides, errors. */
class FinetuneConfigTest {

  @TempDir Path dir;

  Path write(String extra) throws IOException {
    Path f = dir.resolve("cfg.json");
    Files.writeString(f, """
        {"model": "m", "dataset": {"kind": "camvid", "root": "data", "split": "train"},
         "crop": {"height": 48, "width": 64}, "batchSize": 8, "baseLr": 0.002, "iterations": 100,
         "seed": 1, "classWeights": false, "checkpoint": {"dir": "ckpt", "interval": 10},
         "output": "out" %s}
        """.formatted(extra.replace('\'', '"')));
    return f;
  }

  FinetuneConfig read(String extra, Stage stage) throws IOException {
    Path f = write(extra);
    return FinetuneConfig.read(f, UnaryTrainingConfig.read(f), stage);
  }

  @Test
  void defaultsFollowTheFileAndDesign() throws IOException {
    FinetuneConfig f = read("", Stage.FINETUNE);
    assertEquals(100, f.iterations());
    assertEquals(8, f.batchSize());
    assertEquals(0.0002, f.baseLr(), 1e-15);
    assertEquals(0.1, f.headLr());
    assertEquals(abs("m"), f.model().toAbsolutePath(), "no OUTPUT-contexts yet: the file's model");
    assertEquals(abs("out-finetune"), f.output().toAbsolutePath());
    assertEquals(abs("ckpt-finetune"), f.checkpointDir().toAbsolutePath());
    assertEquals(abs("out-finetune-training-log.csv"), f.log().toAbsolutePath());
    FinetuneConfig j = read("", Stage.JOINT);
    assertEquals(100, j.iterations());
    assertEquals(8, j.batchSize());
    assertEquals(0.002, j.baseLr());
    assertEquals(1, j.headLr());
    assertEquals(abs("m"), j.model().toAbsolutePath());
    assertEquals(abs("out-joint"), j.output().toAbsolutePath());
    assertEquals(abs("ckpt-joint"), j.checkpointDir().toAbsolutePath());
    assertEquals(abs("out-joint-training-log.csv"), j.log().toAbsolutePath());
  }

  @Test
  void finetuneStartsFromTheContextsStageOutputWhenItExists() throws IOException {
    Files.writeString(dir.resolve("out-contexts"), "a model");
    Files.writeString(dir.resolve("out-triple"), "a model");
    assertEquals(abs("out-contexts"), read("", Stage.FINETUNE).model().toAbsolutePath());
    assertEquals(abs("m"), read("", Stage.JOINT).model().toAbsolutePath(), "joint starts from the file's model");
    assertEquals(abs("full"), read(", 'finetune': {'model': 'full'}", Stage.FINETUNE).model().toAbsolutePath());
  }

  private Path abs(String name) {
    return dir.resolve(name).toAbsolutePath().normalize();
  }

  @Test
  void theStagesObjectOverrides() throws IOException {
    FinetuneConfig f = read(", 'finetune': {'iterations': 7, 'batchSize': 2, 'baseLr': 0.01, 'headLr': 0.5,"
        + " 'model': 'full', 'output': 'ft', 'checkpoint': 'ftckpt', 'classWeights': true}, 'joint': {'iterations': 3}",
        Stage.FINETUNE);
    assertEquals(7, f.iterations());
    assertTrue(f.classWeights(), "the stage's own choice over the file's false");
    assertFalse(read("", Stage.FINETUNE).classWeights(), "the file's choice by default");
    assertEquals(2, f.batchSize());
    assertEquals(0.01, f.baseLr());
    assertEquals(0.5, f.headLr());
    assertEquals(dir.resolve("full").toAbsolutePath().normalize(), f.model().toAbsolutePath());
    assertEquals(dir.resolve("ftckpt").toAbsolutePath().normalize(), f.checkpointDir().toAbsolutePath());
    assertEquals(dir.resolve("ft-training-log.csv").toAbsolutePath().normalize(), f.log().toAbsolutePath());
    assertEquals(3, read(", 'joint': {'iterations': 3}", Stage.JOINT).iterations());
  }

  @Test
  void badValuesNameTheFileAndKey() throws IOException {
    for (String[] c : new String[][] {
        {"\"headLr\": 0", "'finetune.headLr' must be a positive number"},
        {"\"baseLr\": \"x\"", "'finetune.baseLr' must be a number"},
        {"\"batchSize\": 0", "'finetune.batchSize' must be an integer >= 1"},
        {"\"iterations\": 1.5", "'finetune.iterations' must be an integer"},
        {"\"lr\": 1", "unknown key 'finetune.lr'"}}) {
      IOException e = assertThrows(IOException.class, () -> read(", \"finetune\": {" + c[0] + "}", Stage.FINETUNE));
      assertTrue(e.getMessage().contains(dir.resolve("cfg.json").toString()) && e.getMessage().contains(c[1]),
          e.getMessage());
    }
    IOException e = assertThrows(IOException.class, () -> read(", \"finetun\": {}", Stage.FINETUNE));
    assertTrue(e.getMessage().contains("unknown key 'finetun'"), e.getMessage());
  }
}

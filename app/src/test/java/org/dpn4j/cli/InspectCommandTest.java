package org.dpn4j.cli;

import org.dpn4j.testing.SharedData;

import org.dpn4j.io.Safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

  @TempDir Path dir;


  private static CommandRun inspect(String... args) {
    String[] line = new String[args.length + 1];
    line[0] = "inspect";
    System.arraycopy(args, 0, line, 1, args.length);
    return CommandRun.of(Main.commandLine(), line);
  }

  /** Written with a .tflite name on purpose: the format is recognised by content. */
  private Path smallSafetensors() throws IOException {
    Path file = dir.resolve("weights.tflite");
    Safetensors.write(file, List.of(
        Safetensors.Tensor.ofFloats("conv.weight", new long[] {2, 1, 1, 3}, new float[6]),
        Safetensors.Tensor.ofInts("steps", new long[] {}, new int[] {9}),
        Safetensors.Tensor.ofBytes("mask", new long[] {4}, new byte[4])), Map.of("epoch", "3"));
    return file;
  }

  @Test
  void listsSafetensorsTensorsOnePerLineWithASummary() throws IOException {
    Path file = smallSafetensors();
    CommandRun run = inspect(file.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(List.of(
        "conv.weight  2x1x1x3           F32",
        "steps        scalar            I32",
        "mask         4                 U8",
        "3 tensors, 11 parameters, " + Files.size(file) + " bytes (safetensors)"), run.lines());
  }

  @Test
  void listsTfLiteTensorsWithQuantisation() {
    CommandRun run = inspect(SharedData.path("pretrained/mobilenet_v2_1.0_224_quant.tflite").toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.lines();
    assertEquals(175, lines.size());
    assertTrue(lines.get(0).matches(" +0  1x224x224x3 +U8 +input +scale=0\\.00781250 zp=128 +input"), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        " +\\d+  32x3x3x3 +U8 +const +scale=[0-9.]+ zp=\\d+ +MobilenetV2/Conv/Conv2D_Fold.*")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches(" +173  1x1001 +U8 +output +scale=.*")), run.out());
    assertEquals("174 tensors (107 constant), 3,489,099 parameters, 3,610,798 bytes (tflite)", lines.get(174));
  }

  @Test
  void jsonListsEveryTensor() throws IOException {
    CommandRun safetensors = inspect("--json", smallSafetensors().toString());
    JsonNode st = new ObjectMapper().readTree(safetensors.out());
    assertEquals(3, st.size());
    assertEquals("conv.weight", st.get(0).get("name").asText());
    assertEquals("[2,1,1,3]", st.get(0).get("shape").toString());
    assertEquals("F32", st.get(0).get("dtype").asText());

    CommandRun tflite = inspect("--json", SharedData.path("pretrained/mobilenet_v2_1.0_224_quant.tflite").toString());
    JsonNode tf = new ObjectMapper().readTree(tflite.out());
    assertEquals(174, tf.size());
    JsonNode input = tf.get(0);
    assertEquals("input", input.get("name").asText());
    assertEquals("[1,224,224,3]", input.get("shape").toString());
    assertEquals("U8", input.get("dtype").asText());
    assertEquals("input", input.get("kind").asText());
    assertEquals(0.0078125, input.get("quantization").get("scale").get(0).asDouble());
    assertEquals(128, input.get("quantization").get("zero_point").get(0).asInt());
    assertTrue(tf.get(1).get("quantization").isNull());
  }

  @Test
  void otherFilesAreRejectedWithAClearMessage() throws IOException {
    Path text = dir.resolve("notes.safetensors");
    Files.writeString(text, "just some text, not weights");
    CommandRun run = inspect(text.toString());
    assertEquals(2, run.exitCode());
    assertEquals("dpn inspect: " + text + ": neither a safetensors file nor a TFLite model (27 bytes)\n", run.err());

    CommandRun missing = inspect(dir.resolve("absent.bin").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("no such file: " + dir.resolve("absent.bin")), missing.err());
  }

  @Test
  void helpDescribesTheJsonOption() {
    CommandRun run = inspect("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("--json"), run.out());
  }
}

package org.dpn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dpn4j.data.LabelSet;
import org.dpn4j.data.Normalisation;
import org.dpn4j.head.HeadSpec;
import org.dpn4j.head.Window;
import org.dpn4j.io.Safetensors;
import org.dpn4j.unary.NamedTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model format (docs/MODEL_FORMAT.md): exact round trips, and refusal of broken files. */
class ModelFormatTest {

  @TempDir static Path dir;

  /** A tiny vgg16-dpn (widths / 64) with per-label b12 weights and a trained-looking head. */
  private static final ModelConfig CONFIG =
      new ModelConfig("vgg16-dpn", 64, LabelSet.CAMVID, new ModelConfig.Input(new Normalisation(
          new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.25f, 0.125f}), 96, 16), HeadSpec.parse("window=30@400,size=5,components=3"), true,
          "full", "finetune");

  private static Path saved;

  @BeforeAll
  static void saveOne() throws IOException {
    saved = dir.resolve("model");
    try (DpnModel m = randomHead(CONFIG)) {
      m.save(saved);
    }
  }

  /** A model whose head parameters are random, so that the round trip can tell them apart. */
  static DpnModel randomHead(ModelConfig config) {
    DpnModel m = DpnModel.create(config);
    Random r = new Random(7);
    for (float[] a : List.of(m.head().b12().wRgb(), m.head().b12().wXy(), m.head().b13().weights())) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    return m;
  }

  @Test
  void directoryAndZipRoundTripExactly() throws IOException {
    Path zip = dir.resolve("model.zip");
    try (DpnModel original = DpnModel.load(saved)) {
      original.save(zip);
      for (Path p : List.of(saved, zip)) {
        try (DpnModel back = DpnModel.load(p)) {
          assertEquals(original.config().toJson(), back.config().toJson(), p.toString());
          assertSameTensors(original.tensors(), back.tensors());
        }
      }
      assertEquals(original.config().toJson(), Files.readString(saved.resolve("config.json")));
      assertEquals(CONFIG.toJson(), original.config().toJson());
    }
  }

  @Test
  void weightsFileHoldsTheDocumentedNamesAndShapes() throws IOException {
    Safetensors st = Safetensors.open(saved.resolve("weights.safetensors"));
    assertArrayEquals(new long[] {11}, st.info("head.b12.w_rgb").shape());
    assertArrayEquals(new long[] {11}, st.info("head.b12.w_xy").shape());
    assertArrayEquals(new long[] {33, 11, 5, 5}, st.info("head.b13.weight").shape());
    assertArrayEquals(new long[] {11, 64, 1, 1}, st.info("unary.b11.weight").shape());
    assertTrue(st.tensors().stream().allMatch(i -> i.name().startsWith("unary.") || i.name().startsWith("head.")));
  }

  @Test
  void configJsonRoundTripsAndKeepsDefaults() {
    ModelConfig d = ModelConfig.defaults("mobilenetv2", LabelSet.VOC);
    assertEquals(d.toJson(), ModelConfig.fromJson(d.toJson()).toJson());
    assertEquals(Window.scaled(50, 512), d.head().window());
    assertEquals(9, d.head().size());
    assertEquals(5, d.head().components());
    assertTrue(d.toJson().contains("\"window\" : \"50@512\""), d.toJson());
    assertEquals("unary", d.trained());
    assertEquals(128f / 255f, d.input().normalisation().mean()[0]);
    // Optional keys take their defaults.
    String minimal = d.toJson().replace("\"longSide\" : 0,", "");
    assertEquals(0, ModelConfig.fromJson(minimal).input().longSide());
  }

  @Test
  void olderConfigsWithAnIntegerWindowKeepTheirMeaning() throws IOException {
    // Written before the head spec: "window": 50 with "referenceSize": 512, m = 50 scaled from 512.
    // The config.json of the model shipped until 2026-12 (models/camvid), kept as a test resource.
    String shipped;
    try (InputStream in = ModelFormatTest.class.getResourceAsStream("config-integer-window.json")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(shipped.contains("\"referenceSize\" : 512"), "the config is in the older form");
    ModelConfig c = ModelConfig.fromJson(shipped);
    assertEquals(Window.scaled(50, 512), c.head().window());
    assertEquals(Window.of(47), c.head().window().resolve(360, 480));
    assertEquals(HeadSpec.DEFAULT, c.head());
    // Written again, it takes the new form with the same meaning.
    assertTrue(c.toJson().contains("\"window\" : \"50@512\""), c.toJson());
    assertTrue(!c.toJson().contains("referenceSize"), c.toJson());
    assertEquals(c.toJson(), ModelConfig.fromJson(c.toJson()).toJson());
    // An older non-default pair: 30 at 400.
    ModelConfig old = ModelConfig.fromJson(shipped.replace("\"window\" : 50", "\"window\" : 30")
        .replace("\"referenceSize\" : 512", "\"referenceSize\" : 400"));
    assertEquals(Window.scaled(30, 400), old.head().window());
  }

  @Test
  void configWindowTakesEveryWrittenForm() {
    ModelConfig d = ModelConfig.defaults("vgg-lite", LabelSet.CAMVID);
    for (String w : new String[] {"50@512", "47", "6x9", "all"}) {
      ModelConfig c = ModelConfig.fromJson(d.toJson().replace("\"50@512\"", "\"" + w + "\""));
      assertEquals(Window.parse(w), c.head().window(), w);
      assertEquals(w, c.head().window().spec());
      assertEquals(c.toJson(), ModelConfig.fromJson(c.toJson()).toJson());
    }
    // "47" in a configuration is a fixed 47 x 47, as on the command line.
    assertEquals(Window.of(47),
        ModelConfig.fromJson(d.toJson().replace("\"50@512\"", "\"47\"")).head().window().resolve(1024, 2048));
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromJson(
        d.toJson().replace("\"window\" : \"50@512\",", "\"window\" : \"50@512\", \"referenceSize\" : 512,")));
    assertTrue(both.getMessage().contains("head.b12.referenceSize"), both.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(d.toJson().replace("\"50@512\"", "\"5O\"")));
    assertTrue(bad.getMessage().contains("head.b12.window") && bad.getMessage().contains("'5O'"), bad.getMessage());
    IllegalArgumentException noRef = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(d.toJson().replace("\"50@512\"", "50")));
    assertTrue(noRef.getMessage().contains("head.b12.referenceSize"), noRef.getMessage());
  }

  @Test
  void windowOverrideChangesTheHeadsAndTheConfigOnly() {
    try (DpnModel m = DpnModel.create(CONFIG)) {
      float[] wRgb = m.head().b12().wRgb();
      m.setWindow(Window.parse("6x9"));
      assertEquals(Window.of(6, 9), m.head().b12().windowFor(300, 400));
      assertEquals(Window.of(6, 9), m.config().head().window());
      assertEquals(CONFIG.head().size(), m.config().head().size());
      assertTrue(wRgb == m.head().b12().wRgb(), "the weights stay the model's (live)");
      assertEquals(CONFIG.withWindow(Window.of(6, 9)).toJson(), m.config().toJson());
    }
  }

  @Test
  void newModelsHeadIsAtTheDesignsInitialValues() {
    try (DpnModel m = DpnModel.create(ModelConfig.defaults("vgg-lite", LabelSet.CAMVID))) {
      HeadAssertions.assertInitial(m.head(), 1, 5, 9);
    }
    try (DpnModel m = DpnModel.create(CONFIG)) {
      HeadAssertions.assertInitial(m.head(), 11, 3, 5);
      // The config's window, 30 at 400: m_eff = 30 on 300 x 400, 60 on 600 x 800 (offsets -m/2..m/2-1).
      assertEquals(-15, m.head().b12().windowFor(300, 400).minDy());
      assertEquals(29, m.head().b12().windowFor(600, 800).maxDx());
    }
  }

  @Test
  void truncatedWeightsAreRefusedNamingTheFile() throws IOException {
    Path broken = copy("truncated");
    Path weights = broken.resolve("weights.safetensors");
    try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 100);
    }
    assertRefused(broken, weights.toString(), "truncated");
  }

  @Test
  void missingAndExtraTensorsAreRefused() throws IOException {
    Path missing = rewriteWeights("missing", t -> t.remove("head.b12.w_xy"));
    assertRefused(missing, "weights.safetensors", "missing: head.b12.w_xy");
    Path extra = rewriteWeights("extra", t -> t.put("head.b16.weight", new NamedTensors.Tensor(new long[] {1}, new float[1])));
    assertRefused(extra, "weights.safetensors", "head.b16.weight");
  }

  @Test
  void wrongShapeIsRefusedNamingTensorAndShapes() throws IOException {
    Path wrong = rewriteWeights("shape", t -> t.put("unary.b1.conv1.weight",
        new NamedTensors.Tensor(new long[] {1, 3, 5, 5}, new float[75])));
    assertRefused(wrong, "weights.safetensors", "'unary.b1.conv1.weight' has shape [1, 3, 5, 5], config.json implies [1, 3, 3, 3]");
  }

  @Test
  void wrongLabelCountIsRefused() throws IOException {
    Path voc = copy("labels");
    ModelConfig c = CONFIG;
    Files.writeString(voc.resolve("config.json"), new ModelConfig(c.architecture(), c.widthDivisor(), LabelSet.VOC,
        c.input(), c.head(), c.perLabelWeights(), c.trained(), c.lastStage()).toJson());
    assertRefused(voc, "weights.safetensors", "the weights are for 11 labels, config.json names 21");
  }

  @Test
  void badJsonAndUnknownArchitectureAreRefusedNamingConfig() throws IOException {
    Path bad = copy("json");
    Files.writeString(bad.resolve("config.json"), "{\"format\": \"dpn4j-model\", ");
    assertRefused(bad, bad.resolve("config.json").toString(), "not valid JSON");

    Path arch = copy("arch");
    String json = Files.readString(arch.resolve("config.json")).replace("\"vgg16-dpn\"", "\"resnet50\"");
    Files.writeString(arch.resolve("config.json"), json);
    assertRefused(arch, arch.resolve("config.json").toString(), "unknown architecture 'resnet50'");

    Path key = copy("key");
    Files.writeString(key.resolve("config.json"),
        Files.readString(key.resolve("config.json")).replace("\"window\"", "\"windw\""));
    assertRefused(key, "config.json", "unknown key \"head.b12.windw\"");
  }

  @Test
  void notAModelIsRefused() throws IOException {
    assertRefused(dir.resolve("absent"), "absent", "no such model");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertRefused(empty, "empty", "config.json is missing");
    Path text = dir.resolve("notes.zip");
    Files.writeString(text, "not a zip");
    assertRefused(text, "notes.zip", "readable zip");
    Path zip = dir.resolve("nested.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("a/b/config.json"));
      z.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    assertRefused(zip, "nested.zip", "no config.json at its root or in one folder");
  }

  @Test
  void zipWithAFolderInsideIsAccepted() throws IOException {
    Path zip = dir.resolve("folder.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (String f : List.of("config.json", "weights.safetensors")) {
        z.putNextEntry(new ZipEntry("my-model/" + f));
        Files.copy(saved.resolve(f), z);
      }
    }
    try (DpnModel a = DpnModel.load(zip); DpnModel b = DpnModel.load(saved)) {
      assertSameTensors(b.tensors(), a.tensors());
    }
  }

  private static void assertRefused(Path model, String fileInMessage, String problem) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> DpnModel.load(model).close());
    assertTrue(e.getMessage().contains(fileInMessage), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static Path copy(String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve(name));
    for (String f : List.of("config.json", "weights.safetensors")) {
      Files.copy(saved.resolve(f), to.resolve(f));
    }
    return to;
  }

  private static Path rewriteWeights(String name, java.util.function.Consumer<Map<String, NamedTensors.Tensor>> edit)
      throws IOException {
    Path to = copy(name);
    Map<String, NamedTensors.Tensor> tensors;
    try (DpnModel m = DpnModel.load(saved)) {
      tensors = new java.util.LinkedHashMap<>(m.tensors());
    }
    edit.accept(tensors);
    List<Safetensors.Tensor> list = new ArrayList<>();
    tensors.forEach((n, t) -> list.add(Safetensors.Tensor.ofFloats(n, t.shape(), t.values())));
    Safetensors.write(to.resolve("weights.safetensors"), list, Map.of());
    return to;
  }

  static void assertSameTensors(Map<String, NamedTensors.Tensor> a, Map<String, NamedTensors.Tensor> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((n, t) -> {
      assertArrayEquals(t.shape(), b.get(n).shape(), n);
      assertArrayEquals(t.values(), b.get(n).values(), n);
    });
  }
}

package org.dpn4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels in a JVM without the Vector API module (no {@code --add-modules}) against the
 * kernels of this JVM (the vector ones in the main test run, which has the module): the same
 * outputs within 1e-5, no Vector API class loaded there, and the one log line that says so.
 */
class PlainPathTest {

  @TempDir Path dir;

  @Test
  void aJvmWithoutTheVectorModuleRunsThePlainKernelsWithTheSameResults() throws Exception {
    Path out = dir.resolve("plain.bin");
    Path classes = dir.resolve("classes.log");
    Path log = dir.resolve("stderr.txt");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Xlog:class+load:file=" + classes,
        KernelProbe.class.getName(), out.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the plain JVM did not finish");
    String said = Files.readString(log);
    assertEquals(0, p.exitValue(), said);
    assertTrue(said.contains("vector=false"), said);
    assertTrue(said.contains("the Vector API is not available"), said);
    String loaded = Files.readString(classes);
    assertFalse(loaded.contains("jdk.incubator.vector"), "a Vector API class was loaded");
    assertFalse(loaded.matches("(?s).*org\\.dpn4j\\.\\w+\\.\\w*Vector(s|Exp)\\b.*"), "a vector kernel class was loaded");
    assertTrue(loaded.contains("org.dpn4j.head.TiledCorrelation"), "the probe did not run the kernels");

    Map<String, float[]> plain = read(out);
    Map<String, float[]> vector = KernelProbe.outputs();
    assertEquals(vector.keySet(), plain.keySet());
    for (Map.Entry<String, float[]> e : vector.entrySet()) {
      float[] v = e.getValue();
      float[] q = plain.get(e.getKey());
      assertEquals(v.length, q.length, e.getKey());
      double scale = 0;
      for (float x : v) {
        scale = Math.max(scale, Math.abs(x));
      }
      for (int i = 0; i < v.length; i++) {
        // Probabilities within 1e-5; gradients within 1e-5 of their largest value.
        assertEquals(v[i], q[i], 1e-5 * Math.max(1, scale), e.getKey() + " [" + i + "]");
      }
    }
  }

  private static Map<String, float[]> read(Path file) throws IOException {
    Map<String, float[]> m = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      while (in.available() > 0) {
        String name = in.readUTF();
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
          v[i] = in.readFloat();
        }
        m.put(name, v);
      }
    }
    return m;
  }
}

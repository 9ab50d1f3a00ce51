package org.dpn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models by name: where {@link Models#resolve} looks, in which order, and what it says when it finds nothing. */
class ModelsTest {

  static final Path CAMVID = Path.of("models/camvid");

  @TempDir Path dir;

  @Test
  void aPretrainedNameFindsTheCheckoutsModel() throws IOException {
    assertTrue(Files.isDirectory(CAMVID), "missing " + CAMVID.toAbsolutePath());
    assertEquals(CAMVID.toRealPath(), Models.resolve("camvid").toRealPath());
    assertEquals(CAMVID.toRealPath(), DefaultModel.path().toRealPath());
  }

  @Test
  void anExistingPathWinsAndIsReturnedAsItIs() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("camvid"));
    assertEquals(folder, Models.resolve(folder.toString()));
  }

  @Test
  void theModelsFolderPropertyIsLookedInFirst() throws IOException {
    Path model = Files.createDirectories(dir.resolve("camvid"));
    Files.writeString(model.resolve("config.json"), "{}");
    System.setProperty(Models.PROPERTY, dir.toString());
    try {
      assertEquals(model, Models.resolve("camvid"));
    } finally {
      System.clearProperty(Models.PROPERTY);
    }
  }

  @Test
  void aModelInAJarOnTheClassPathLoadsInPlace() throws Exception {
    Path jar = dir.resolve("models.jar");
    try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (String f : new String[] {"config.json", "weights.safetensors"}) {
        zip.putNextEntry(new ZipEntry(Models.RESOURCES + "jarred/" + f));
        Files.copy(CAMVID.resolve(f), zip);
        zip.closeEntry();
      }
    }
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(loader);
      Path found = Models.resolve("jarred");
      assertEquals("jar", found.getFileSystem().provider().getScheme());
      try (DpnModel fromJar = DpnModel.pretrained("jarred"); DpnModel fromFolder = DpnModel.load(CAMVID)) {
        assertEquals(fromFolder.config().labels(), fromJar.config().labels());
        assertArrayEquals(fromFolder.head().b13().weights(), fromJar.head().b13().weights());
        String first = fromFolder.tensors().keySet().iterator().next();
        assertArrayEquals(fromFolder.tensors().get(first).values(), fromJar.tensors().get(first).values());
      }
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  @Test
  void anUnknownNameSaysWhereItLookedInTheApisTerms() {
    IOException e = assertThrows(IOException.class, () -> Models.resolve("no-such-model"));
    String m = e.getMessage();
    assertTrue(m.startsWith("no-such-model: no such model"), m);
    assertTrue(m.contains(Models.ENV) && m.contains("dpn4j-models") && m.contains("camvid, voc"), m);
    assertFalse(m.contains("--model"), m);
    IOException path = assertThrows(IOException.class, () -> Models.resolve(dir.resolve("gone.zip").toString()));
    assertTrue(path.getMessage().endsWith("no such model (a directory or a .zip)"), path.getMessage());
  }
}

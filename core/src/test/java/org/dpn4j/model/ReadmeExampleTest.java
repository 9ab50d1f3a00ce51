package org.dpn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example is {@code examples/SegmentPhoto.java}, character for character; it
 * compiles against the library and, run as a user would (a plain {@code java -cp}, no JVM flags: no
 * Vector API module), gives the labels that the model gives in this JVM.
 */
class ReadmeExampleTest {

  static final Path EXAMPLE = Path.of("examples/SegmentPhoto.java");
  static final Path PHOTO = Path.of("../shared/data/camvid/val/0016E5_07965.jpg");

  @TempDir Path dir;

  /** The first java block of the README's "Java API" section. */
  static String readmeBlock() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("### Java API");
    assertTrue(section >= 0, "README.md has no \"### Java API\" section");
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(section), "no java block in the README's Java API section");
    return m.group(1);
  }

  @Test
  void theReadmeShowsTheExampleAsItIs() throws Exception {
    assertEquals(Files.readString(EXAMPLE), readmeBlock(), "README.md's Java block differs from " + EXAMPLE);
  }

  @Test
  void theExampleCompilesAndRunsWithoutJvmFlagsAndGivesTheModelsLabels() throws Exception {
    assertTrue(Files.isRegularFile(PHOTO), "missing test data: " + PHOTO.toAbsolutePath() + " (../shared/data/camvid)");
    String cp = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path classes = Files.createDirectories(dir.resolve("classes"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-cp", cp, EXAMPLE.toString());
    assertEquals(0, rc, "the example does not compile:\n" + errors);

    Path out = dir.resolve("out");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes + java.io.File.pathSeparator + cp, "SegmentPhoto", PHOTO.toString(), out.toString()));
    Path log = dir.resolve("log.txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish");
    String said = Files.readString(log);
    assertEquals(0, p.exitValue(), said);
    assertTrue(said.contains("pixels changed by the DPN head"), said);
    assertTrue(said.contains("the Vector API is not available"), "the plain-Java log line is missing:\n" + said);

    int[] expected;
    try (DpnModel model = DpnModel.pretrained("camvid")) {
      expected = model.segment(PHOTO).labels();
    }
    BufferedImage png = ImageIO.read(out.resolve("labels.png").toFile());
    int w = png.getWidth();
    assertEquals(expected.length, w * png.getHeight());
    int same = 0;
    for (int i = 0; i < expected.length; i++) {
      same += png.getRaster().getSample(i % w, i / w, 0) == expected[i] ? 1 : 0;
    }
    assertTrue(same >= 0.9999 * expected.length, same + " of " + expected.length + " pixels agree");
  }
}

package org.dpn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictJsonTest {

  @TempDir Path tmp;

  private StrictJson.Obj file(String json) throws IOException {
    Path f = tmp.resolve("run.json");
    Files.writeString(f, json);
    return StrictJson.read(f, "no such file");
  }

  private void assertError(String json, String message, ThrowingRead read) throws IOException {
    IOException e = assertThrows(IOException.class, () -> read.apply(file(json)));
    assertTrue(e.getMessage().startsWith(tmp.resolve("run.json") + ": ") && e.getMessage().contains(message),
        e.getMessage());
  }

  @FunctionalInterface
  interface ThrowingRead {
    Object apply(StrictJson.Obj o) throws IOException;
  }

  @Test
  void everyErrorNamesTheFileAndTheKeyWithItsPath() throws IOException {
    assertError("{\"a\": {\"b\": 1, \"c\": 2}}", "unknown key 'a.c'", o -> o.object("a").only("b"));
    assertError("{\"a\": {}}", "missing key 'a.b'", o -> o.object("a").integer("b"));
    assertError("{\"a\": 3}", "'a' must be an object", o -> o.object("a"));
    assertError("{\"n\": 2.5}", "'n' must be an integer >= 1, got 2.5", o -> o.integer("n", 1));
    assertError("{\"x\": \"high\"}", "'x' must be a number", o -> o.number("x"));
    assertError("{\"x\": -1}", "'x' must be a positive number", o -> o.positive("x"));
    assertError("{\"b\": 1}", "'b' must be true or false", o -> o.bool("b"));
    assertError("{\"s\": \"\"}", "'s' must be a non-empty string", o -> o.text("s"));
    assertError("{\"v\": [1, \"a\"]}", "'v' must be an array of numbers", o -> o.numbers("v"));
    assertError("{\"a\": 1, \"a\": 2}", "invalid JSON", o -> o);
    assertError("[1]", "the document must be a JSON object", o -> o);
  }

  @Test
  void valuesAndPathsRelativeToTheFile() throws IOException {
    StrictJson.Obj o = file("{\"p\": \"sub/x\", \"n\": 3, \"v\": [0.5, 2], \"w\": null, \"o\": {\"k\": true}}");
    assertEquals(tmp.resolve("sub/x").normalize(), o.path("p"));
    assertEquals(3, o.integer("n", 1));
    assertArrayEquals(new double[] {0.5, 2}, o.numbers("v"));
    assertEquals(null, o.numbersOrNull("w"));
    assertFalse(o.has("w"));
    assertTrue(o.object("o").bool("k"));
    assertTrue(o.objectOrEmpty("none").keys().isEmpty());
  }

  @Test
  void withoutAFileMessagesStartWithTheKeyInTheChosenQuotes() {
    StrictJson.Invalid e = assertThrows(StrictJson.Invalid.class,
        () -> StrictJson.of(StrictJson.parse("{\"head\": {\"windw\": 1}}"), StrictJson.Quote.DOUBLE)
            .object("head").only("window"));
    assertTrue(e.getMessage().startsWith("unknown key \"head.windw\""), e.getMessage());
    e = assertThrows(StrictJson.Invalid.class, () -> StrictJson.parse("{"));
    assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
  }
}

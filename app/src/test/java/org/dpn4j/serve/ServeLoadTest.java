package org.dpn4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dpn4j.testing.Integration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dpn serve under load (a small version of {@code dpn bench serve}: 24 requests from 8 clients
 * against 1 worker and a queue of 2) and its graceful stop.
 */
@Integration
class ServeLoadTest {

  @TempDir Path dir;

  @Test
  void underLoadNo5xxEvery200CorrectAnd429OnlyBeyondTheQueue() throws Exception {
    TestData.requireData();
    List<byte[]> bodies = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    List<Path> frames = LoadTest.frames(TestData.VAL, 3);
    Path out = dir.resolve("segment");
    for (Path f : frames) {
      Path crop = TestData.crop(f, 120, 90, dir);
      bodies.add(Files.readAllBytes(crop));
      TestData.dpn("segment", crop.toString(), "--model", TestData.MODEL.toString(), "--out", out.toString());
      expected.add(Files.readAllBytes(out.resolve(crop.getFileName())));
    }
    try (DpnServer server = TestData.server(1, 2, 1 << 20)) {
      LoadTest.Result r = LoadTest.run(server.url(), "", bodies, expected, 24, 8, 3);
      assertTrue(r.passed(), r.describe());
      assertEquals(24, r.ok() + r.tooMany(), r.describe());
      assertTrue(r.ok() >= 3, "some requests get through: " + r.describe());
      assertTrue(r.tooMany() > 0, "8 clients against 1 worker and a queue of 2 must see 429s: " + r.describe());
      assertTrue(r.p95Ms() >= r.p50Ms() && r.p50Ms() > 0, r.describe());
    }
  }

  @Test
  void stopFinishesTheRequestInFlightAndThenRefusesConnections() throws Exception {
    TestData.requireData();
    Path crop = TestData.crop(TestData.FRAME, 240, 180, dir);
    DpnServer server = TestData.server(1, 2, 1 << 20);
    ServeClient client = new ServeClient(server.url());
    byte[] photo = Files.readAllBytes(crop);
    byte[] expected = client.post("/v1/segment", photo).body();
    CompletableFuture<HttpResponse<byte[]>> inFlight = CompletableFuture.supplyAsync(() -> {
      try {
        return client.post("/v1/segment", photo);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    waitUntilBusy(client);
    server.stop();
    HttpResponse<byte[]> res = inFlight.get();
    assertEquals(200, res.statusCode());
    assertArrayEquals(expected, res.body(), "the request in flight was finished, not cut");
    try {
      client.get("/health");
      throw new AssertionError("a stopped server still answered");
    } catch (IOException expectedRefusal) {
      // Connection refused: the server is gone.
    }
  }

  private static void waitUntilBusy(ServeClient client) throws Exception {
    for (int i = 0; i < 2000; i++) {
      if (ServeClient.json(client.get("/health")).get("busy").asInt() > 0) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the request never reached a worker");
  }
}

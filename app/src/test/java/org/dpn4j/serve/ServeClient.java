package org.dpn4j.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test client of a running server: raw and multipart posts, JSON reading, error checks. */
final class ServeClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOUNDARY = "dpn4j-test-boundary-7b3f";

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ServeClient(String base) {
    this.base = base;
  }

  HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** A multipart/form-data post: field name to (file name, bytes). */
  HttpResponse<byte[]> multipart(String path, Map<String, Map.Entry<String, byte[]>> fields)
      throws IOException, InterruptedException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Map.Entry<String, Map.Entry<String, byte[]>> f : fields.entrySet()) {
      b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\""
          + f.getValue().getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      b.writeBytes(f.getValue().getValue());
      b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())));
  }

  /** Field map for {@link #multipart}: name, file name, bytes, in turn. */
  static Map<String, Map.Entry<String, byte[]>> fields(Object... nameFileBytes) {
    Map<String, Map.Entry<String, byte[]>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameFileBytes.length; i += 3) {
      m.put((String) nameFileBytes[i], Map.entry((String) nameFileBytes[i + 1], (byte[]) nameFileBytes[i + 2]));
    }
    return m;
  }

  static Map<String, Map.Entry<String, byte[]>> file(String field, Path file) throws IOException {
    return fields(field, file.getFileName().toString(), Files.readAllBytes(file));
  }

  HttpResponse<byte[]> send(HttpRequest.Builder req) throws IOException, InterruptedException {
    return http.send(req.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> res) throws IOException {
    return JSON.readTree(res.body());
  }

  /**
   * Checks an API refusal: the status, a JSON body {@code {"status", "error"}} whose message holds
   * every one of {@code words}, and no stack trace; returns the message.
   */
  static String assertError(HttpResponse<byte[]> res, int status, String... words) throws IOException {
    String body = new String(res.body(), StandardCharsets.UTF_8);
    assertTrue(res.statusCode() == status, "expected " + status + ", got " + res.statusCode() + ": " + body);
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), body);
    JsonNode j = JSON.readTree(body);
    String error = j.path("error").asText();
    assertTrue(j.path("status").asInt() == status, body);
    for (String w : List.of(words)) {
      assertTrue(error.contains(w), "'" + w + "' not in: " + error);
    }
    assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains(".java:"), "a stack trace: " + body);
    return error;
  }
}

package org.dpn4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.dpn4j.crf.DenseCrfSettings;
import org.dpn4j.data.LabelSet;

/**
 * The API's handlers (docs/SERVE.md): they read and check a request on Jetty's thread (size,
 * fields, query, the image's header), hand the computation to the {@link WorkerPool}, and write
 * the {@link Outcome} in the asked format. Every refusal is an {@link ApiError}.
 *
 * @param settings the server's settings (the request size limit)
 * @param catalogue the models served, by name
 * @param pool the workers that compute
 */
record Api(ServeSettings settings, ServedModels catalogue, WorkerPool pool) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Jetty's request attribute that enables multipart parsing with limits. */
  private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

  /** Before any handler: a declared body above the limit is refused unread (413). */
  void checkLength(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > settings.maxRequestBytes()) {
      throw ApiError.tooLarge("the request body is " + length + " bytes, above this server's limit of "
          + settings.maxRequestBytes() + " bytes");
    }
  }

  /** POST /v1/segment: the image as the body or as the multipart field {@code image}. */
  void segment(Context ctx) {
    ServedModels.Served served = catalogue.get(ctx.queryParam("model"));
    boolean head = bool(ctx, "head", true);
    Outcome.Format format = format(ctx);
    boolean images = bool(ctx, "images", false);
    byte[] body = ctx.isMultipartFormData() ? part(ctx, "image", true) : ctx.bodyAsBytes();
    if (body.length == 0) {
      throw ApiError.badRequest("no image: send it as the request body or as the multipart field 'image'");
    }
    ImageUpload image = ImageUpload.of(body, "image");
    boolean unaryToo = head && format == Outcome.Format.json;
    answer(ctx, format, images, () -> ServedModels.with(served, m -> Jobs.segment(served.name(), m, image, head, unaryToo)));
  }

  /** POST /v1/refine: multipart {@code image} and {@code probs}; {@code method=dpn|densecrf} and the CRF parameters. */
  void refine(Context ctx) {
    if (!ctx.isMultipartFormData()) {
      throw ApiError.badRequest("refine needs a multipart/form-data body with the fields 'image' and 'probs'");
    }
    String method = ctx.queryParam("method") == null ? "dpn" : ctx.queryParam("method");
    if (!method.equals("dpn") && !method.equals("densecrf")) {
      throw ApiError.badRequest("method=" + method + ": expected dpn or densecrf");
    }
    boolean logits = bool(ctx, "logits", false);
    Outcome.Format format = format(ctx);
    boolean images = bool(ctx, "images", false);
    ServedModels.Served served = method.equals("dpn") ? catalogue.get(ctx.queryParam("model")) : null;
    DenseCrfSettings crf = method.equals("densecrf") ? crfSettings(ctx) : null;
    if (served != null && (ctx.queryParam("iterations") != null && !ctx.queryParam("iterations").equals("1"))) {
      throw ApiError.badRequest("iterations=" + ctx.queryParam("iterations")
          + ": the DPN head computes one mean-field step (iterations is for method=densecrf)");
    }
    if (served == null && ctx.queryParam("model") != null) {
      throw ApiError.badRequest("model is for method=dpn; densecrf takes its settings from the query");
    }
    ImageUpload image = ImageUpload.of(part(ctx, "image", true), "image");
    Jobs.Probabilities probs = new Jobs.Probabilities(part(ctx, "probs", true), partName(ctx, "probs"), logits);
    answer(ctx, format, images, () -> served != null
        ? ServedModels.with(served, m -> Jobs.refineDpn(served.name(), m, image, probs))
        : Jobs.refineCrf(crf, image, probs));
  }

  /** Computes {@code job} on the pool (429 when full) and answers in {@code format} when done. */
  private void answer(Context ctx, Outcome.Format format, boolean images, Callable<Outcome> job) {
    CompletableFuture<Outcome> result = pool.submit(job);
    ctx.future(() -> result.thenAccept(o -> {
      switch (format) {
        case png -> ctx.contentType("image/png").result(o.labelPng());
        case overlay -> ctx.contentType("image/png").result(o.overlayPng());
        case json -> ctx.contentType("application/json").result(o.json(images));
      }
    }));
  }

  /** GET /v1/models: every served model's name, source, labels and colours; the default first. */
  void models(Context ctx) throws IOException {
    ArrayNode list = JSON.createArrayNode();
    boolean first = true;
    for (ServedModels.Served s : catalogue.all()) {
      ObjectNode m = list.addObject();
      m.put("name", s.name());
      m.put("default", first);
      m.put("unary", s.config().architecture());
      m.put("temporalHead", s.config().temporal() != null);
      ArrayNode labels = m.putArray("labels");
      LabelSet set = s.labels();
      for (int i = 0; i < set.size(); i++) {
        labels.addObject().put("id", i).put("name", set.names().get(i))
            .put("colour", String.format("#%06X", set.colours()[i]));
      }
      m.put("ignore", set.ignore());
      first = false;
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("models", list);
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(root));
  }

  /** GET /health: up, with the pool's state. */
  void health(Context ctx) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "ok");
    root.put("workers", pool.workers());
    root.put("busy", pool.active());
    root.put("queued", pool.queued());
    root.put("queueCapacity", pool.capacity());
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(root));
  }

  /** Writes a refusal as JSON: {@code {"status": 400, "error": "..."}}, with Retry-After when given. */
  static void error(Context ctx, int status, String message, long retryAfterSeconds) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", status);
    root.put("error", message == null ? "error " + status : message);
    if (retryAfterSeconds > 0) {
      ctx.header("Retry-After", Long.toString(retryAfterSeconds));
    }
    if (status != 413) {
      drainBody(ctx);
    }
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads what is left of a refused request's body. A request refused before its body was read (a
   * multipart refine with a bad query parameter) would otherwise have Jetty close the connection
   * while the client still sends, and the client sees a reset instead of the answer
   * (ServeApiTest's aBodyRefusedBeforeItIsReadStillGetsItsAnswer fails without this). Declared lengths
   * only, which {@link #checkLength} bounds; a 413's body is over the limit and stays unread.
   */
  private static void drainBody(Context ctx) {
    if (ctx.req().getContentLengthLong() <= 0) {
      return;
    }
    try {
      ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    } catch (java.io.IOException | IllegalStateException e) {
      // Read already (a parsed multipart, a reader) or the client went away: nothing left to drain.
    }
  }

  /** The bytes of the multipart field {@code name}; a missing one is a 400 when {@code required}. */
  private byte[] part(Context ctx, String name, boolean required) {
    Part p = findPart(ctx, name);
    if (p == null) {
      if (required) {
        throw ApiError.badRequest("the multipart body has no field '" + name + "'");
      }
      return new byte[0];
    }
    try (InputStream in = p.getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw ApiError.badRequest("cannot read the field '" + name + "': " + e.getMessage());
    }
  }

  /** The file name the client gave the field {@code name}, or the field's name. */
  private String partName(Context ctx, String name) {
    Part p = findPart(ctx, name);
    return p != null && p.getSubmittedFileName() != null ? p.getSubmittedFileName() : name;
  }

  private Part findPart(Context ctx, String name) {
    long max = settings.maxRequestBytes();
    ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(
        System.getProperty("java.io.tmpdir"), max, max, (int) Math.min(Integer.MAX_VALUE, max)));
    try {
      return ctx.req().getPart(name);
    } catch (IOException | ServletException | RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      if (m.toLowerCase(Locale.ROOT).contains("max") || m.toLowerCase(Locale.ROOT).contains("size")) {
        throw ApiError.tooLarge("the multipart body is larger than this server's limit of " + settings.maxRequestBytes() + " bytes");
      }
      throw ApiError.badRequest("malformed multipart body: " + m);
    }
  }

  private static Outcome.Format format(Context ctx) {
    String f = ctx.queryParam("format");
    if (f == null) {
      return Outcome.Format.png;
    }
    try {
      return Outcome.Format.valueOf(f);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("format=" + f + ": expected png, overlay or json");
    }
  }

  private static boolean bool(Context ctx, String name, boolean dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw ApiError.badRequest(name + "=" + v + ": expected true or false");
    };
  }

  private static float number(Context ctx, String name, float dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + "=" + v + ": not a number");
    }
  }

  /** The dense CRF's parameters from the query, named as {@code dpn refine}'s options; pydensecrf's defaults. */
  private static DenseCrfSettings crfSettings(Context ctx) {
    DenseCrfSettings d = DenseCrfSettings.DEFAULT;
    String it = ctx.queryParam("iterations");
    int iterations;
    try {
      iterations = it == null ? d.iterations() : Integer.parseInt(it);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("iterations=" + it + ": not an integer");
    }
    try {
      return new DenseCrfSettings(number(ctx, "gauss-sxy", d.gaussSxy()), number(ctx, "gauss-compat", d.gaussCompat()),
          number(ctx, "bilateral-sxy", d.bilateralSxy()), number(ctx, "bilateral-srgb", d.bilateralSrgb()),
          number(ctx, "bilateral-compat", d.bilateralCompat()), iterations);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /** Whether the response already carries a JSON body (an API error). */
  static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/json");
  }
}

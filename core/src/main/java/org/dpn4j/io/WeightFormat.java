package org.dpn4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The weight-file formats dpn4j reads, recognised by their first bytes rather than by the extension. */
public enum WeightFormat {
  SAFETENSORS,
  TFLITE;

  /**
   * TFLite: the FlatBuffers identifier {@code TFL3} at bytes 4..7. Safetensors: the JSON header's
   * <code>'{'</code> at byte 8, after the 8-byte header length.
   */
  public static WeightFormat detect(Path file) throws IOException {
    long size = Files.size(file);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(9);
    }
    if (head.length >= 8 && new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals("TFL3")) {
      return TFLITE;
    }
    if (head.length == 9 && head[8] == '{') {
      return SAFETENSORS; // a bad header length is for Safetensors.open to report precisely
    }
    throw new WeightFileException(file, "neither a safetensors file nor a TFLite model (" + size + " bytes)");
  }
}

package org.dpn4j.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Damaged and hostile files made by the tests themselves (the fuzz suite of issue 17), and the
 * hashes that show an input was not changed by a run.
 */
public final class BadFiles {

  private BadFiles() {}

  /** The first {@code fraction} of {@code src}'s bytes, written to {@code dst}. */
  public static Path truncated(Path src, Path dst, double fraction) throws IOException {
    byte[] b = Files.readAllBytes(src);
    Files.write(dst, Arrays.copyOf(b, (int) (b.length * fraction)));
    return dst;
  }

  /** {@code src} with {@code n} bytes from {@code offset} set to {@code value}, written to {@code dst}. */
  public static Path overwritten(Path src, Path dst, int offset, int n, byte value) throws IOException {
    byte[] b = Files.readAllBytes(src);
    Arrays.fill(b, offset, Math.min(b.length, offset + n), value);
    Files.write(dst, b);
    return dst;
  }

  /** A small RGB photo-like test image: smooth gradients with some structure. */
  public static BufferedImage photo(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 255 * x / w;
        int g = 255 * y / h;
        int b = (x / 8 + y / 8) % 2 == 0 ? 200 : 60;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  /**
   * {@code rgb} as a CMYK JPEG the way Photoshop writes one: inverted CMYK samples (K = 255 - max,
   * C = 255 - R - K, ...) and an Adobe APP14 marker with transform 0.
   */
  public static Path cmykJpeg(BufferedImage rgb, Path dst) throws IOException {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = rgb.getRGB(x, y);
        int r = (p >> 16) & 255;
        int g = (p >> 8) & 255;
        int b = p & 255;
        int k = 255 - Math.max(r, Math.max(g, b));
        px[0] = r + k;
        px[1] = g + k;
        px[2] = b + k;
        px[3] = 255 - k;
        cmyk.setPixel(x, y, px);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageWriter writer = jdkJpegWriter();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(new IIOImage(cmyk, null, null));
    } finally {
      writer.dispose();
    }
    byte[] jpeg = bytes.toByteArray();
    byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
    ByteBuffer file = ByteBuffer.allocate(jpeg.length + adobe.length);
    file.put(jpeg, 0, 2).put(adobe).put(jpeg, 2, jpeg.length - 2);
    Files.write(dst, file.array());
    return dst;
  }

  private static ImageWriter jdkJpegWriter() {
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith("com.sun.")) {
        return w;
      }
    }
    throw new IllegalStateException("no JDK JPEG writer");
  }

  /** A PNG whose header announces {@code w x h} (with a valid CRC) followed by no image data. */
  public static Path pngHeader(int w, int h, Path dst) throws IOException {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + 17 + 4);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    Files.write(dst, b.array());
    return dst;
  }

  /** The SHA-256 of each file (a folder: of each regular file in it), to show that a run left its inputs as they were. */
  public static Map<Path, String> hashes(List<Path> paths) {
    Map<Path, String> out = new LinkedHashMap<>();
    for (Path p : paths) {
      try {
        if (Files.isDirectory(p)) {
          try (var s = Files.walk(p)) {
            s.filter(Files::isRegularFile).sorted().forEach(f -> out.put(f, sha256(f)));
          }
        } else {
          out.put(p, Files.exists(p) ? sha256(p) : "(missing)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static String sha256(Path f) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

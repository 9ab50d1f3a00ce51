package org.dpn4j.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.dpn4j.io.Images;

/**
 * An uploaded image: its size is read from the header and checked against the pixel limit before
 * anything is decoded or queued (413); it is decoded by {@code dpn segment}'s own reader
 * ({@link Images#read}), so a photo gives the same pixels either way. An unreadable upload is a 400
 * naming the field.
 */
final class ImageUpload {

  private final byte[] bytes;
  private final String field;
  private final int width;
  private final int height;

  private ImageUpload(byte[] bytes, String field, int width, int height) {
    this.bytes = bytes;
    this.field = field;
    this.width = width;
    this.height = height;
  }

  /** Reads the header of {@code bytes} (the request's field {@code field}); refuses non-images (400) and images above {@link Images#maxPixels()} (413). */
  static ImageUpload of(byte[] bytes, String field) {
    if (bytes.length == 0) {
      throw ApiError.badRequest(field + ": empty; send an image (PNG, JPEG, BMP, GIF)");
    }
    return read(bytes, field, reader -> {
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      try {
        Images.checkPixels(field, w, h);
      } catch (Images.ImageTooLargeException e) {
        throw ApiError.tooLarge(e.getMessage());
      }
      return new ImageUpload(bytes, field, w, h);
    });
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The decoded image, as {@code dpn segment} decodes the same file ({@link Images#read}). */
  BufferedImage decode() {
    return Uploads.read(bytes, "", field, Images::read);
  }

  private interface ReaderUse<T> {
    T apply(ImageReader reader) throws IOException;
  }

  private static <T> T read(byte[] bytes, String field, ReaderUse<T> use) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw ApiError.badRequest(field + ": not an image in a supported format (PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return use.apply(reader);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiError a) {
        throw a;
      }
      throw ApiError.badRequest(field + ": cannot decode the image (" + e.getMessage() + ")");
    }
  }
}

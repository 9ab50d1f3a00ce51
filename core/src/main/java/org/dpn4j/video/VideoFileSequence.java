package org.dpn4j.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpn4j.value.Maps;
import org.dpn4j.io.Images;
import org.dpn4j.util.FileNames;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * The frames of a video file, decoded one at a time by OpenCV's {@link VideoCapture}; frame i (from
 * 1) is named {@code STEM_000001}. The org.openpnp OpenCV build has no FFmpeg or GStreamer: it
 * decodes only Motion-JPEG in AVI (OpenCV's built-in CV_MJPEG reader). MP4, H.264 and the like are
 * refused with a message saying so; extract their frames to a folder (e.g. with ffmpeg) instead.
 */
public final class VideoFileSequence implements FrameSequence {

  /** What --help and errors say about the formats. */
  public static final String FORMATS = "Motion-JPEG AVI only (this OpenCV build has no FFmpeg)";

  private final Path file;
  private final String stem;
  private final VideoCapture capture;
  private final Mat bgr = new Mat();
  private final List<Integer> skipped = new ArrayList<>();
  private int index;
  private int position;

  private VideoFileSequence(Path file, VideoCapture capture) {
    this.file = file;
    this.stem = FileNames.stem(file);
    this.capture = capture;
  }

  /** Opens a video file; a missing file or one OpenCV cannot decode is an error naming it. */
  public static VideoFileSequence open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such video file");
    }
    checkRiffLength(file);
    OpenCv.load();
    // The built-in MJPEG reader only: without a preference OpenCV also tries its image-sequence reader, which logs an error.
    VideoCapture c = new VideoCapture(file.toString(), Videoio.CAP_OPENCV_MJPEG);
    if (!c.isOpened()) {
      c.release();
      throw new IOException(file + ": cannot decode the video (" + FORMATS + ")");
    }
    try {
      Images.checkPixels(file.toString(), (long) c.get(Videoio.CAP_PROP_FRAME_WIDTH), (long) c.get(Videoio.CAP_PROP_FRAME_HEIGHT));
    } catch (IOException e) {
      c.release();
      throw e;
    }
    return new VideoFileSequence(file, c);
  }

  @Override
  public String name() {
    return String.valueOf(file.getFileName());
  }

  /**
   * The next decodable frame. A frame that cannot be decoded (corrupt data) is skipped and its
   * number (from 1) kept in {@link #skipped()}; the caller decides whether that is acceptable.
   */
  @Override
  public Frame next() throws IOException {
    while (!capture.read(bgr) || bgr.empty()) {
      int now = (int) capture.get(Videoio.CAP_PROP_POS_FRAMES);
      if (now <= position) {
        if (index == 0) {
          throw new IOException(file + ": no frame could be decoded (" + FORMATS + ")");
        }
        return null;
      }
      position = now;
      skipped.add(now);
    }
    index++;
    position = (int) capture.get(Videoio.CAP_PROP_POS_FRAMES);
    if (bgr.type() != CvType.CV_8UC3) {
      throw new IOException(file + ": frame " + position + " is " + CvType.typeToString(bgr.type()) + ", expected 8-bit BGR");
    }
    return new Frame(String.format(Locale.ROOT, "%s_%06d", stem, position), toRgb(bgr));
  }

  /** The numbers (from 1) of the frames that could not be decoded and were skipped so far. */
  public List<Integer> skipped() {
    return List.copyOf(skipped);
  }

  /**
   * A RIFF file shorter than its header announces is truncated (a copy cut short): said so,
   * rather than letting the decoder blame the format.
   */
  private static void checkRiffLength(Path file) throws IOException {
    long size = Files.size(file);
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 8) < 8 || head[0] != 'R' || head[1] != 'I' || head[2] != 'F' || head[3] != 'F') {
        return;
      }
    }
    long announced = 8 + (ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL);
    if (size < announced) {
      throw new IOException(String.format(Locale.ROOT,
          "%s: truncated AVI file: %,d bytes, its header announces %,d (an incomplete copy or download?)", file, size, announced));
    }
  }

  private static Maps toRgb(Mat bgr) {
    int h = bgr.rows();
    int w = bgr.cols();
    byte[] b = new byte[3 * h * w];
    bgr.get(0, 0, b);
    Maps out = new Maps(3, h, w);
    int n = h * w;
    for (int j = 0; j < n; j++) {
      for (int c = 0; c < 3; c++) {
        out.data[c * n + j] = (b[3 * j + 2 - c] & 0xFF) / 255f;
      }
    }
    return out;
  }

  @Override
  public void close() {
    bgr.release();
    capture.release();
  }
}

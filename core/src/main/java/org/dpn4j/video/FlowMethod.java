package org.dpn4j.video;

import org.dpn4j.value.Flow;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.dpn4j.value.Maps;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.video.DISOpticalFlow;
import org.opencv.video.Video;

/**
 * Dense optical flow F_{t->s} between two RGB frames, by OpenCV, on their grey-scale versions
 * (ITU-R BT.601 luma, as OpenCV's RGB2GRAY, in 8 bits). The result links node j of frame t to
 * j + F(j) in frame s (DESIGN.md, Sec. 1 "Spatio-temporal DPN").
 */
public enum FlowMethod {
  /** DIS (Kroeger et al., ECCV 2016), OpenCV's ultrafast preset. */
  DIS_ULTRAFAST("dis-ultrafast", DISOpticalFlow.PRESET_ULTRAFAST),
  /** DIS, fast preset. */
  DIS_FAST("dis-fast", DISOpticalFlow.PRESET_FAST),
  /** DIS, medium preset. */
  DIS_MEDIUM("dis-medium", DISOpticalFlow.PRESET_MEDIUM),
  /** Farneback's polynomial expansion (SCIA 2003), see {@link #farneback}. */
  FARNEBACK("farneback", -1);

  private final String cliName;
  private final int disPreset;

  FlowMethod(String cliName, int disPreset) {
    this.cliName = cliName;
    this.disPreset = disPreset;
  }

  /** The name used on the command line, e.g. "dis-medium". */
  public String cliName() {
    return cliName;
  }

  /** The method called {@code name} (see {@link #cliName()}); a clear error listing the names otherwise. */
  public static FlowMethod parse(String name) {
    for (FlowMethod m : values()) {
      if (m.cliName.equalsIgnoreCase(name.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown flow method \"" + name + "\", expected one of "
            + Arrays.stream(values()).map(FlowMethod::cliName).toList());
  }

  /** The flow from frame {@code t} to frame {@code s} (both 3 x H x W RGB in [0, 1], same size). */
  public Flow compute(Maps t, Maps s) {
    if (t.c != 3 || s.c != 3) {
      throw new IllegalArgumentException("frames must be RGB (3 maps), got " + t.c + " and " + s.c);
    }
    t.requireSameSize(s, "frame s");
    OpenCv.load();
    Mat a = grey(t);
    Mat b = grey(s);
    // Empty on purpose: DIS takes a flow Mat of the right size and type as its initial flow, and an
    // uninitialised one (garbage, NaN) made it read outside the image and crash the JVM.
    Mat f = new Mat();
    try {
      if (this == FARNEBACK) {
        farneback(a, b, f);
      } else {
        DISOpticalFlow dis = DISOpticalFlow.create(disPreset);
        dis.calc(a, b, f);
        // Its finalizer frees the native object: keep it alive until the native call has returned.
        Reference.reachabilityFence(dis);
      }
      return toFlow(f, t.h, t.w);
    } finally {
      a.release();
      b.release();
      f.release();
    }
  }

  /**
   * Farneback with the parameters of OpenCV's optical-flow tutorial: 3 pyramid levels at scale 0.5,
   * a 15-pixel box window, 3 iterations, polynomial neighbourhood 5 with sigma 1.2. On the
   * FlyingChairs pairs these beat larger windows, more levels and Gaussian windows (EPE 7.8 / 2.8 px
   * against 8.2 / 3.0 px) and are the fastest of those tried.
   */
  private static void farneback(Mat a, Mat b, Mat f) {
    Video.calcOpticalFlowFarneback(a, b, f, 0.5, 3, 15, 3, 5, 1.2, 0);
  }

  private static Mat grey(Maps rgb) {
    int n = rgb.plane();
    byte[] g = new byte[n];
    for (int j = 0; j < n; j++) {
      float y = 0.299f * rgb.data[j] + 0.587f * rgb.data[n + j] + 0.114f * rgb.data[2 * n + j];
      g[j] = (byte) Math.max(0, Math.min(255, Math.round(y * 255f)));
    }
    Mat m = new Mat(rgb.h, rgb.w, CvType.CV_8UC1);
    m.put(0, 0, g);
    return m;
  }

  private static Flow toFlow(Mat f, int h, int w) {
    if (f.rows() != h || f.cols() != w || f.type() != CvType.CV_32FC2) {
      throw new IllegalStateException("OpenCV returned a flow of " + f + ", expected " + h + "x" + w + " CV_32FC2");
    }
    float[] uv = new float[2 * h * w];
    f.get(0, 0, uv);
    Flow out = Flow.zeros(h, w);
    for (int j = 0; j < h * w; j++) {
      out.u()[j] = uv[2 * j];
      out.v()[j] = uv[2 * j + 1];
    }
    return out;
  }

  @Override
  public String toString() {
    return cliName;
  }
}

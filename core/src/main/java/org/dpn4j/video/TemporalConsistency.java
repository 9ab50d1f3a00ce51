package org.dpn4j.video;

import org.dpn4j.value.Flow;

/**
 * Temporal consistency of a labelled sequence: the fraction of linked pixels whose label changes
 * between consecutive frames along the flow,
 *
 * <pre>
 *   changed = sum_t #{ j linked t -&gt; t+1 : l_t(j) != l_{t+1}(round(j + F_{t-&gt;t+1}(j))) } / sum_t #{ j linked }
 * </pre>
 *
 * with the links of {@link NodeLinks} (forward-backward check, inside the frame), so occluded pixels
 * and flow errors are not counted. 0 is a perfectly stable labelling, 1 one where every linked label
 * changes. Pairs accumulate, so the fraction is over all pixels of a sequence (or of several).
 */
public final class TemporalConsistency {

  private long linked;
  private long changed;

  /** Adds the pair (t, s) with labels of frame t and s (row-major, frame t's size) and the links from t to s. */
  public void add(int[] labelsT, int[] labelsS, NodeLinks links) {
    Flow f = links.flow();
    int n = f.plane();
    if (labelsT.length != n || labelsS.length != n) {
      throw new IllegalArgumentException(
          "label maps of " + labelsT.length + " and " + labelsS.length + " pixels for links on " + f.h() + "x" + f.w());
    }
    for (int j = 0; j < n; j++) {
      if (links.linked(j)) {
        int x = Math.round(j % f.w() + f.u()[j]);
        int y = Math.round(j / f.w() + f.v()[j]);
        linked++;
        if (labelsT[j] != labelsS[y * f.w() + x]) {
          changed++;
        }
      }
    }
  }

  /** The number of linked pixels counted so far. */
  public long linked() {
    return linked;
  }

  /** The fraction of linked pixels whose label changed; NaN before any linked pixel. */
  public double changedFraction() {
    return linked == 0 ? Double.NaN : (double) changed / linked;
  }
}

/**
 * The fully connected CRF of Krähenbühl and Koltun (NIPS 2011) as their 2013 densecrf library
 * computes it (DESIGN.md section 5): {@link org.dpn4j.crf.DenseCrf} (mean-field inference with
 * pydensecrf's names), its kernels {@link org.dpn4j.crf.GaussianKernel} (symmetric normalisation or
 * none, self term on or off) over a {@link org.dpn4j.crf.GaussianFilter}: the approximate {@link
 * org.dpn4j.crf.PermutohedralLattice} or the exact O(N^2) {@link
 * org.dpn4j.crf.ExactGaussianFilter} (small images, tests, the exact dense CRF of DESIGN.md section
 * 1), and the label {@link org.dpn4j.crf.Compatibility} (Potts or a matrix).
 *
 * <p>Choices where DESIGN.md is silent:
 *
 * <ul>
 *   <li>{@code Normalisation.NONE} is K itself; the library's NO_NORMALIZATION scales K by N / sum(K 1).
 *   <li>{@code selfTerm=false} removes the lattice's own diagonal (computed exactly, see {@link
 *       org.dpn4j.crf.PermutohedralLattice#selfWeights}), and D = diag((K - diag K) 1), kept above
 *       1e-4 K_ii so that an isolated point's message is not rounding noise.
 *   <li>A matrix compatibility is symmetrised, (mu + mu^T) / 2, as in the library.
 *   <li>{@link org.dpn4j.crf.DenseCrf#klDivergence} is the mean-field objective with the 1/2 on the
 *       pairwise term (the library's omits it).
 *   <li>The lattice's vertex keys are packed into 64 bits; features spanning too wide a range for
 *       that (tiny sxy or srgb on a huge image) are rejected with a message.
 * </ul>
 *
 * <p>Measured: the lattice against the exact filter in {@code PermutohedralLatticeTest}'s javadoc;
 * timings with {@code DenseCrfBench} (a main in the tests). 512 x 512, 21 labels, usual settings,
 * 2 vCPUs shared with other jobs (medians of 7, quiet spell): one thread, set-up 70 ms, 5
 * iterations 168 ms (reference library: 72 and 240); two threads, 42 and 91 ms.
 */
package org.dpn4j.crf;

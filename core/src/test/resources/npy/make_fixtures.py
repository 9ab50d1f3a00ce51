"""Writes the .npy / .npz fixtures of NpyTest and RefineCommandTest with NumPy itself.

Run from this folder: python3 make_fixtures.py (NumPy 2.4.6 made the committed files). The same
probabilities, 11 labels on a 6 x 8 image (a softmax of seeded random logits), saved every way
NumPy users save them, plus files that must be refused.
"""
import numpy as np

rng = np.random.default_rng(13)
logits = rng.normal(scale=3.0, size=(11, 6, 8))
p = np.exp(logits - logits.max(axis=0))
p /= p.sum(axis=0)
p32 = p.astype(np.float32)

np.save("p_f32.npy", p32)                                      # float32, C order, little-endian
np.save("p_f64.npy", p)                                        # float64 (NumPy's default)
np.save("p_f16.npy", p.astype(np.float16))                     # float16
np.save("p_fortran.npy", np.asfortranarray(p32))               # Fortran order
np.save("p_f64_fortran_be.npy", np.asfortranarray(p.astype(">f8")))  # all three at once
np.save("p_be.npy", p32.astype(">f4"))                         # big-endian
np.save("p_hwl.npy", p32.transpose(1, 2, 0))                 # (H, W, L), C order
np.save("p_hwl_fortran.npy", np.asfortranarray(p32.transpose(1, 2, 0)))  # (H, W, L) in Fortran order
np.savez("p.npz", probs=p32)                                   # one array
np.savez_compressed("p_compressed.npz", probs=p)               # one array, deflated
np.savez("p_two.npz", probs=p32, logits=logits.astype(np.float32))  # two: --key chooses
np.save("p_i64.npy", np.arange(11 * 6 * 8).reshape(11, 6, 8))  # int64: refused
np.save("p_c64.npy", p32.astype(np.complex64))                 # complex: refused
np.save("p_object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)  # pickled objects: refused

/**
 * The SIMD backend ({@link distill4j.kernels.simd.SimdBackend}, the set of the families' SIMD
 * versions) and the infrastructure the families share: the species, thresholds and block sizes
 * ({@link distill4j.kernels.simd.SimdParams}), the thread pool ({@link distill4j.kernels.simd.SimdPool}),
 * lane sums in a fixed order ({@link distill4j.kernels.simd.LaneSums}) and the vector exp
 * ({@link distill4j.kernels.simd.SimdExp}). Everything but {@code SimdBackend} and
 * {@code SimdBackendProvider} is internal to the kernel families: public only so that the family
 * packages can reach it.
 */
package distill4j.kernels.simd;

/**
 * Media checks before Meta (docs/api.md, "Media checks"; contract §11): a send's media URL is asked for its status,
 * type and size ({@link linegate.media.MediaProber}: HEAD, or a one-byte ranged GET where HEAD is refused; redirects
 * followed by hand, each target's addresses checked and connected to as checked), the answer is judged against what
 * Meta accepts for the kind on the channel ({@link linegate.media.MediaRules}), and the verdict
 * ({@link linegate.media.MediaVerdict}) is what the send pipeline answers 244 or 245 from, without calling Meta.
 * {@link linegate.media.HttpMediaCheck} caches what each URL answered. Depends on {@code meta} (the kinds) and
 * {@code store} (the line classes) only; the send pipeline calls it through {@link linegate.media.MediaCheck}.
 */
package linegate.media;

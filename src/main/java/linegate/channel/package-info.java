/**
 * Meta's messaging channels as Linegate serves them, each in one place: its line class, its send rules, its send routes,
 * its Graph endpoint, and the webhook {@code object} its deliveries come with. {@link linegate.channel.Channels} is the
 * registry the composition root builds; adding a channel is a new {@link linegate.channel.Channel} plus its
 * registration (docs/architecture.md, "Adding a channel"). Depends downward on {@code meta} and {@code store} only.
 */
package linegate.channel;

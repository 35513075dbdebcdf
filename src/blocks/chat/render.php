<?php
/**
 * Server-rendered shell of the chat block.
 *
 * Rendered on the server so the chat appears at once and keeps its size when the widget
 * mounts. The markup holds no nonce and nothing per visitor, so pages with the block can
 * be served from a full-page cache; the widget asks the REST API for a session later.
 *
 * @package VoiceVisionChat
 *
 * @var array<string, mixed> $attributes Block attributes (see block.json).
 */

defined( 'ABSPATH' ) || exit;

$vvc_title       = '' !== $attributes['title'] ? $attributes['title'] : __( 'Ask us anything', 'voice-vision-chat' );
$vvc_greeting    = '' !== $attributes['greeting'] ? $attributes['greeting'] : __( 'Hello! Type a question, or send a photo, and I will do my best to help.', 'voice-vision-chat' );
$vvc_placeholder = '' !== $attributes['placeholder'] ? $attributes['placeholder'] : __( 'Type your question…', 'voice-vision-chat' );
$vvc_accent      = sanitize_hex_color( (string) $attributes['accentColor'] );
$vvc_input_id    = wp_unique_id( 'vvc-chat-input-' );

/**
 * Filters whether chat blocks offer the microphone (only blocks that allow voice ask).
 *
 * The plugin answers false while the chat is switched off or the recorder's bundles are not
 * built. The shell reserves the microphone's place only when this is true, and the widget
 * shows a microphone only where the shell has one, so the two always agree.
 *
 * @since 0.1.0
 *
 * @param bool $available Whether visitors can ask by voice on this site.
 */
$vvc_voice = $attributes['allowVoice'] && (bool) apply_filters( 'vvc_voice_available', true );

$vvc_wrapper = array(
	'class'       => 'vvc-chat',
	'data-config' => (string) wp_json_encode(
		array(
			'allowImages' => (bool) $attributes['allowImages'],
			'allowVoice'  => (bool) $attributes['allowVoice'],
		)
	),
);
if ( $vvc_accent ) {
	$vvc_wrapper['style'] = '--vvc-accent:' . $vvc_accent;
}
?>
<section <?php echo get_block_wrapper_attributes( $vvc_wrapper ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped by core. ?> aria-label="<?php echo esc_attr( $vvc_title ); ?>">
	<div class="vvc-chat__header">
		<h2 class="vvc-chat__title"><?php echo esc_html( $vvc_title ); ?></h2>
	</div>
	<div class="vvc-chat__log" role="log" aria-live="polite" aria-relevant="additions" aria-label="<?php esc_attr_e( 'Conversation', 'voice-vision-chat' ); ?>" tabindex="0">
		<p class="vvc-chat__message vvc-chat__message--assistant"><?php echo esc_html( $vvc_greeting ); ?></p>
	</div>
	<form class="vvc-chat__composer" action="#" method="post">
		<label class="screen-reader-text" for="<?php echo esc_attr( $vvc_input_id ); ?>"><?php esc_html_e( 'Your question', 'voice-vision-chat' ); ?></label>
		<?php if ( $attributes['allowImages'] ) : ?>
			<button type="button" class="vvc-chat__attach">
				<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9V15.5a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10h-1.5Z"/></svg>
				<span class="screen-reader-text"><?php esc_html_e( 'Attach a photo', 'voice-vision-chat' ); ?></span>
			</button>
		<?php endif; ?>
		<textarea id="<?php echo esc_attr( $vvc_input_id ); ?>" class="vvc-chat__input" name="question" rows="1" placeholder="<?php echo esc_attr( $vvc_placeholder ); ?>"></textarea>
		<?php if ( $vvc_voice ) : ?>
			<button type="button" class="vvc-chat__mic" aria-label="<?php esc_attr_e( 'Ask by voice', 'voice-vision-chat' ); ?>">
				<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 14.5a3.5 3.5 0 0 0 3.5-3.5V5a3.5 3.5 0 0 0-7 0v6a3.5 3.5 0 0 0 3.5 3.5Zm6-3.5h-1.5a4.5 4.5 0 0 1-9 0H6a6 6 0 0 0 5.25 5.95V20h1.5v-3.05A6 6 0 0 0 18 11Z"/></svg>
			</button>
		<?php endif; ?>
		<button type="submit" class="vvc-chat__send"><?php esc_html_e( 'Send', 'voice-vision-chat' ); ?></button>
	</form>
</section>

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
		<button type="submit" class="vvc-chat__send"><?php esc_html_e( 'Send', 'voice-vision-chat' ); ?></button>
	</form>
</section>

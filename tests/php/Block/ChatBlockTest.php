<?php
/**
 * The chat block is registered from build/ and renders a safe, cache-friendly shell.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Block;

use VoiceVisionChat\Settings\Settings;
use VoiceVisionChat\Tests\Support\TestCase;
use WP_Block_Type_Registry;

/**
 * Registration and server rendering of voice-vision-chat/chat.
 */
final class ChatBlockTest extends TestCase {

	private function render_block( array $attributes = array() ): string {
		return do_blocks( '<!-- wp:voice-vision-chat/chat ' . wp_json_encode( (object) $attributes ) . ' /-->' );
	}

	public function test_block_type_is_registered_from_the_build_folder(): void {
		$block = WP_Block_Type_Registry::get_instance()->get_registered( 'voice-vision-chat/chat' );
		$this->assertNotNull( $block, 'run `npm run build` before the PHP tests' );
		$this->assertSame( 3, $block->api_version );
		$this->assertNotEmpty( $block->view_script_handles, 'a front-end script is declared' );
		$this->assertNotEmpty( $block->editor_script_handles, 'an editor script is declared' );
		$this->assertTrue( $block->attributes['allowImages']['default'] );
	}

	public function test_renders_shell_with_translated_defaults_and_labelled_input(): void {
		$html = $this->render_block();

		$this->assertStringContainsString( 'wp-block-voice-vision-chat-chat', $html );
		$this->assertStringContainsString( 'Ask us anything', $html );
		$this->assertMatchesRegularExpression( '/role="log"[^>]*aria-live="polite"/', $html );
		$this->assertSame( 1, preg_match( '/<label[^>]+for="([^"]+)"/', $html, $label ) );
		$this->assertStringContainsString( 'id="' . $label[1] . '"', $html, 'the label points at the textarea' );
	}

	public function test_owner_texts_are_escaped(): void {
		$html = $this->render_block(
			array(
				'title'       => '<script>alert(1)</script>Help',
				'greeting'    => '"><img src=x onerror=alert(1)>',
				'placeholder' => '" autofocus onfocus="alert(1)',
			)
		);

		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringNotContainsString( '<img', $html );
		$this->assertStringNotContainsString( 'onfocus="alert', $html );
		$this->assertStringContainsString( '&lt;script&gt;alert(1)&lt;/script&gt;Help', $html );
	}

	public function test_accent_colour_must_be_a_hex_colour(): void {
		$this->assertStringContainsString( '--vvc-accent:#aa3300', $this->render_block( array( 'accentColor' => '#aa3300' ) ) );
		$this->assertStringNotContainsString( 'expression', $this->render_block( array( 'accentColor' => 'red;background:expression(alert(1))' ) ) );
		$this->assertStringNotContainsString( '--vvc-accent', $this->render_block( array( 'accentColor' => 'red;x:y' ) ) );
	}

	public function test_markup_holds_nothing_per_visitor_so_pages_can_be_cached(): void {
		$this->log_in_as( 'administrator' );
		$as_admin = $this->render_block();
		wp_set_current_user( 0 );
		$as_guest = $this->render_block();

		$this->assertStringNotContainsString( wp_create_nonce( 'wp_rest' ), $as_admin );
		// Only the per-request unique id may differ between two renders.
		$strip_ids = static fn ( string $html ): string => (string) preg_replace( '/vvc-chat-input-\d+/', 'ID', $html );
		$this->assertSame( $strip_ids( $as_admin ), $strip_ids( $as_guest ) );
	}

	public function test_widget_options_reach_the_front_end_as_data(): void {
		$html = $this->render_block( array( 'allowImages' => false ) );
		$this->assertSame( 1, preg_match( '/data-config="([^"]+)"/', $html, $match ) );
		$config = json_decode( html_entity_decode( $match[1] ), true );
		$this->assertSame( array( 'allowImages' => false, 'allowVoice' => true ), $config );
	}

	public function test_shell_has_the_widget_structure_so_mounting_moves_nothing(): void {
		$html = $this->render_block();

		// Same elements, classes and order as src/chat/Chat.tsx renders.
		$this->assertMatchesRegularExpression( '#<div class="vvc-chat__header">\s*<h2 class="vvc-chat__title">#', $html );
		$this->assertMatchesRegularExpression( '#<div class="vvc-chat__log" role="log"[^>]*aria-label="Conversation"[^>]*tabindex="0"#', $html, 'a scrollable log reachable by keyboard' );
		$this->assertMatchesRegularExpression( '#<button type="button" class="vvc-chat__attach">.*Attach a photo.*</button>\s*<textarea#s', $html );
		$this->assertStringNotContainsString( 'vvc-chat__attach', $this->render_block( array( 'allowImages' => false ) ), 'no photo button when photos are off' );
	}

	public function test_the_shell_reserves_the_microphone_between_the_question_and_send(): void {
		$html = $this->render_block();

		// Where src/chat/Composer.tsx puts VoiceButton, with the name it starts with.
		$this->assertMatchesRegularExpression( '#</textarea>\s*<button type="button" class="vvc-chat__mic" aria-label="Ask by voice">\s*<svg[^>]*aria-hidden="true"[^>]*>.*?</svg>\s*</button>\s*<button type="submit" class="vvc-chat__send">#s', $html );
		$this->assertStringNotContainsString( 'vvc-chat__mic', $this->render_block( array( 'allowVoice' => false ) ), 'no microphone when the block does not allow voice' );
	}

	public function test_no_microphone_while_the_site_cannot_take_voice_questions(): void {
		( new Settings() )->update( array( 'enabled' => false ) );
		$this->assertStringNotContainsString( 'vvc-chat__mic', $this->render_block(), 'the chat is switched off' );
		( new Settings() )->update( array( 'enabled' => true ) );
		$this->assertStringContainsString( 'vvc-chat__mic', $this->render_block() );

		add_filter( 'vvc_voice_available', '__return_false', 20 );
		try {
			$this->assertStringNotContainsString( 'vvc-chat__mic', $this->render_block(), 'a site owner turned voice off' );
		} finally {
			remove_filter( 'vvc_voice_available', '__return_false', 20 );
		}
	}
}

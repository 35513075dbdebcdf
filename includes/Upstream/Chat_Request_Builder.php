<?php
/**
 * Builds the body of a chat completion request from the server's settings.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

use VoiceVisionChat\Settings\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Assembles `POST /chat/completions` bodies.
 *
 * Only the visitor's words, image and earlier turns come from the request; the system prompt,
 * the model and the output cap come from the settings, so a visitor cannot change them.
 *
 * @phpstan-type Turn array{role: 'user'|'assistant', content: string}
 * @phpstan-type Image array{data_url: string, mime: string, width: int, height: int, bytes: int}
 */
final class Chat_Request_Builder {

	/**
	 * Settings: prompt, models, caps, image detail.
	 *
	 * @var Settings
	 */
	private Settings $settings;

	/**
	 * Stores the settings.
	 *
	 * @param Settings $settings Plugin settings.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * The request body.
	 *
	 * @param string     $message    The visitor's new message, already checked.
	 * @param array      $history    Earlier turns, already bounded.
	 * @param Image|null $image      The visitor's validated image, if any.
	 * @param string     $visitor_id The server-chosen visitor id, hashed into safety_identifier.
	 * @param string     $extra      Appended to the system prompt on its own paragraph, e.g. the FAQ
	 *                               cache's instruction to mark personal answers; '' for none.
	 * @param string     $model      The model the router chose; '' for the tier default (model()).
	 * @return array<string, mixed>
	 *
	 * @phpstan-param list<Turn> $history
	 */
	public function build( string $message, array $history, ?array $image = null, string $visitor_id = '', string $extra = '', string $model = '' ): array {
		$system = (string) $this->settings->get( 'system_prompt' );
		if ( '' !== $extra ) {
			$system = '' === trim( $system ) ? $extra : rtrim( $system ) . "\n\n" . $extra;
		}
		$messages = array(
			array(
				'role'    => 'system',
				'content' => $system,
			),
		);
		foreach ( $history as $turn ) {
			$messages[] = array(
				'role'    => $turn['role'],
				'content' => $turn['content'],
			);
		}
		if ( null === $image ) {
			$messages[] = array(
				'role'    => 'user',
				'content' => $message,
			);
		} else {
			$messages[] = array(
				'role'    => 'user',
				'content' => array(
					array(
						'type' => 'text',
						'text' => $message,
					),
					array(
						'type'      => 'image_url',
						'image_url' => array(
							'url'    => $image['data_url'],
							'detail' => (string) $this->settings->get( 'image_detail' ),
						),
					),
				),
			);
		}

		$body = array(
			'model'                 => '' !== $model ? $model : $this->model( null !== $image ),
			'messages'              => $messages,
			'max_completion_tokens' => (int) $this->settings->get( 'max_completion_tokens' ),
		);
		if ( '' !== $visitor_id ) {
			// Lets OpenAI tell one abusive visitor from the rest of the site without learning who
			// it is: a salted hash of a random id that lives two hours.
			$body['safety_identifier'] = 'vvc-' . substr( hash_hmac( 'sha256', $visitor_id, wp_salt( 'auth' ) ), 0, 40 );
		}
		return $body;
	}

	/**
	 * The model that answers a turn the router did not route (a voice turn's text step): the
	 * standard tier's model, the vision tier's with an image (the settings' text_model and
	 * image_model are those tiers, see Settings::all()).
	 *
	 * @param bool $has_image Whether the turn carries an image.
	 */
	public function model( bool $has_image ): string {
		return (string) $this->settings->get( $has_image ? 'image_model' : 'text_model' );
	}

	/**
	 * Keeps the usable part of the visitor's earlier turns: only user and assistant turns with
	 * text, each cut to turn_max_chars, the last history_turns of them.
	 *
	 * @param array<mixed> $turns Decoded history from the request.
	 * @return list<Turn>
	 */
	public function bound_history( array $turns ): array {
		$max_turns = max( 0, (int) $this->settings->get( 'history_turns' ) );
		$max_chars = max( 1, (int) $this->settings->get( 'turn_max_chars' ) );
		$kept      = array();
		foreach ( $turns as $turn ) {
			if ( ! is_array( $turn ) || ! isset( $turn['role'], $turn['content'] ) || ! is_string( $turn['content'] ) ) {
				continue;
			}
			if ( 'user' !== $turn['role'] && 'assistant' !== $turn['role'] ) {
				continue; // A "system" turn from a visitor would be a prompt injection.
			}
			$content = trim( $turn['content'] );
			if ( '' === $content ) {
				continue;
			}
			$kept[] = array(
				'role'    => $turn['role'],
				'content' => mb_substr( $content, 0, $max_chars ),
			);
		}
		return 0 === $max_turns ? array() : array_slice( $kept, -$max_turns );
	}
}

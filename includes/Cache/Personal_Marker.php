<?php
/**
 * The marker a model puts in front of answers that are about one visitor.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * Lets the model say "this answer is personal" without the visitor seeing it.
 *
 * The chat appends instruction() to the system prompt. The model then starts an answer that
 * depends on the visitor (their order, account, details they gave) or on earlier messages
 * with MARKER. The controller removes the marker before the visitor sees the text: strip()
 * for a whole answer, or, while streaming, push() each delta and send what it returns, then
 * send finish(). marked() says whether the marker was there; such answers are never cached.
 *
 * Only the start of an answer is looked at (after white space and up to three symbols such
 * as "**"), so the stream holds back at most the first HOLD_CHARS characters.
 */
final class Personal_Marker {

	/**
	 * The marker itself; never translated.
	 */
	public const MARKER = '[[personal]]';

	/**
	 * Characters held back at the start of a stream before deciding.
	 */
	private const HOLD_CHARS = 24;

	/**
	 * Leading text held back while it could still become the marker.
	 *
	 * @var string
	 */
	private string $held = '';

	/**
	 * Whether the stream has been decided (marker found or ruled out).
	 *
	 * @var bool
	 */
	private bool $decided = false;

	/**
	 * Whether the marker was found.
	 *
	 * @var bool
	 */
	private bool $marked = false;

	/**
	 * The sentence appended to the system prompt.
	 */
	public static function instruction(): string {
		return sprintf(
			/* translators: %s: a marker the model must copy literally, e.g. [[personal]]. */
			__( 'If your answer is about this particular visitor (their order, account or details they gave you) or depends on earlier messages in this conversation, begin it with %s. Never mention this marker otherwise.', 'voice-vision-chat' ),
			self::MARKER
		);
	}

	/**
	 * Removes the marker from a whole answer.
	 *
	 * @param string $answer The model's answer.
	 * @return array{text: string, marked: bool} The answer without the marker, and whether it had one.
	 */
	public static function strip( string $answer ): array {
		$pattern = self::pattern();
		if ( preg_match( $pattern, $answer ) ) {
			return array(
				'text'   => (string) preg_replace( $pattern, '', $answer, 1 ),
				'marked' => true,
			);
		}
		return array(
			'text'   => $answer,
			'marked' => false,
		);
	}

	/**
	 * Whether an answer starts with the marker.
	 *
	 * @param string $answer The model's answer.
	 */
	public static function is_marked( string $answer ): bool {
		return 1 === preg_match( self::pattern(), $answer );
	}

	/**
	 * Takes the next streamed delta; returns the text that can be sent to the visitor now.
	 *
	 * @param string $delta Text from the model.
	 */
	public function push( string $delta ): string {
		if ( $this->decided ) {
			return $delta;
		}
		$this->held .= $delta;
		// Held while what came so far (after white space and up to three symbols such as "**")
		// could still be the start of the marker.
		$rest = strtolower( (string) preg_replace( '/^\s*[*_~`>]{0,3}\s*/', '', $this->held ) );
		if ( mb_strlen( $this->held ) < self::HOLD_CHARS && str_starts_with( self::MARKER, $rest ) ) {
			return '';
		}
		return $this->decide();
	}

	/**
	 * Ends the stream; returns whatever was still held back.
	 */
	public function finish(): string {
		return $this->decided ? '' : $this->decide();
	}

	/**
	 * Whether the streamed answer started with the marker.
	 */
	public function marked(): bool {
		return $this->marked;
	}

	/**
	 * Decides on what is held back and releases it.
	 */
	private function decide(): string {
		$this->decided = true;
		$result        = self::strip( $this->held );
		$this->marked  = $result['marked'];
		$this->held    = '';
		return $result['marked'] ? ltrim( $result['text'] ) : $result['text'];
	}

	/**
	 * The marker at the start of a text, with the white space and symbols around it.
	 */
	private static function pattern(): string {
		return '/^\s*[*_~`>]{0,3}\s*' . preg_quote( self::MARKER, '/' ) . '[*_~`]{0,3}[ \t]*\R?/i';
	}
}

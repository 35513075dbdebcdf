<?php
/**
 * Re-cuts a stream of 16-bit PCM into `audio` events the browser can play one by one.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

defined( 'ABSPATH' ) || exit;

/**
 * Collects PCM bytes as they come from the provider (network reads of any length, base64
 * pieces of a chat stream) and emits `audio` events of whole samples, at least MIN_BYTES each
 * except the last, so every event decodes on its own.
 */
final class Pcm_Chunker {

	/**
	 * Smallest event, in bytes: 0.1 s of 24 kHz 16-bit mono. Small enough for a quick first
	 * sound, large enough not to flood the visitor with events.
	 */
	public const MIN_BYTES = 4800;

	/**
	 * Sends an event; false when the visitor is gone.
	 *
	 * @var callable(string, array<string, mixed>): bool
	 */
	private $emit;

	/**
	 * Sample rate of the PCM, sent with every event.
	 *
	 * @var int
	 */
	private int $sample_rate;

	/**
	 * Fields added to the first event only (the AI-voice label).
	 *
	 * @var array<string, mixed>
	 */
	private array $first_extra;

	/**
	 * Bytes not yet sent.
	 *
	 * @var string
	 */
	private string $buffer = '';

	/**
	 * Bytes sent so far.
	 *
	 * @var int
	 */
	private int $sent = 0;

	/**
	 * Whether to keep a copy of everything sent (to cache the speech of a FAQ answer).
	 *
	 * @var bool
	 */
	private bool $keep;

	/**
	 * Everything sent, when kept.
	 *
	 * @var string
	 */
	private string $kept = '';

	/**
	 * Stores where events go.
	 *
	 * @param callable             $emit        Sends an event (name, data); false when the visitor is gone.
	 * @param int                  $sample_rate Sample rate of the PCM.
	 * @param array<string, mixed> $first_extra Fields for the first event only.
	 * @param bool                 $keep        Keep a copy of everything sent (see kept()).
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 */
	public function __construct( callable $emit, int $sample_rate, array $first_extra = array(), bool $keep = false ) {
		$this->emit        = $emit;
		$this->sample_rate = $sample_rate;
		$this->first_extra = $first_extra;
		$this->keep        = $keep;
	}

	/**
	 * Adds bytes; sends what makes a whole event.
	 *
	 * @param string $pcm 16-bit little-endian samples, cut anywhere.
	 * @return bool False when the visitor is gone.
	 */
	public function add( string $pcm ): bool {
		$this->buffer .= $pcm;
		if ( strlen( $this->buffer ) < self::MIN_BYTES ) {
			return true;
		}
		$whole        = strlen( $this->buffer ) & ~1;
		$piece        = substr( $this->buffer, 0, $whole );
		$this->buffer = (string) substr( $this->buffer, $whole );
		return $this->send( $piece );
	}

	/**
	 * Sends whatever whole samples remain.
	 *
	 * @return bool False when the visitor is gone.
	 */
	public function flush(): bool {
		$whole        = strlen( $this->buffer ) & ~1;
		$piece        = substr( $this->buffer, 0, $whole );
		$this->buffer = '';
		return '' === $piece || $this->send( $piece );
	}

	/**
	 * Bytes sent so far.
	 */
	public function bytes_sent(): int {
		return $this->sent;
	}

	/**
	 * Everything sent so far ('' unless kept).
	 */
	public function kept(): string {
		return $this->kept;
	}

	/**
	 * One event.
	 *
	 * @param string $piece Whole samples.
	 */
	private function send( string $piece ): bool {
		$data = array(
			'format'      => 'pcm16',
			'sample_rate' => $this->sample_rate,
			'data'        => base64_encode( $piece ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary audio inside a JSON event.
		);
		if ( 0 === $this->sent ) {
			$data += $this->first_extra;
		}
		$this->sent += strlen( $piece );
		if ( $this->keep ) {
			$this->kept .= $piece;
		}
		return ( $this->emit )( 'audio', $data );
	}
}

<?php
/**
 * Records each provider call of a voice turn as it returns.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

defined( 'ABSPATH' ) || exit;

/**
 * Collects a turn's usage entries and hands each to the turn's `on_usage` callable at once.
 *
 * At once, not at the end: a later call may throw (the chat fails after the transcription
 * was billed), and the caller's metering must still see what was already spent.
 *
 * @phpstan-import-type Usage_Entry from Voice_Pipeline
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 */
final class Usage_Meter {

	/**
	 * Entries so far, in call order.
	 *
	 * @var list<Usage_Entry>
	 */
	private array $entries = array();

	/**
	 * The caller's meter, if any.
	 *
	 * @var (callable(Usage_Entry): void)|null
	 */
	private $on_usage;

	/**
	 * Stores the caller's meter.
	 *
	 * @param (callable(Usage_Entry): void)|null $on_usage Called with each entry.
	 */
	public function __construct( ?callable $on_usage = null ) {
		$this->on_usage = $on_usage;
	}

	/**
	 * The meter of a turn (its optional `on_usage`).
	 *
	 * @param array $turn The voice turn.
	 * @phpstan-param Voice_Turn $turn
	 */
	public static function for_turn( array $turn ): self {
		return new self( $turn['on_usage'] ?? null );
	}

	/**
	 * Records one provider call that returned.
	 *
	 * @param array $entry The call's usage.
	 * @phpstan-param Usage_Entry $entry
	 */
	public function record( array $entry ): void {
		$this->entries[] = $entry;
		if ( null !== $this->on_usage ) {
			( $this->on_usage )( $entry );
		}
	}

	/**
	 * The entry of a chat completion (usage null when the provider reported none, e.g. a
	 * stream the visitor left: the provider bills it anyway).
	 *
	 * @param array<string, mixed>      $body  The request body (its model).
	 * @param array<string, mixed>|null $usage Usage as the provider reported it.
	 * @return Usage_Entry
	 */
	public static function chat_entry( array $body, ?array $usage ): array {
		return array(
			'endpoint' => '/chat/completions',
			'model'    => is_string( $body['model'] ?? null ) ? $body['model'] : '',
			'usage'    => $usage,
		);
	}

	/**
	 * The entry of a transcription, with the recording's length (per-minute prices).
	 *
	 * @param string                    $model   Transcription model.
	 * @param array<string, mixed>|null $usage   Usage as the provider reported it.
	 * @param float                     $seconds Length of the recording.
	 * @return Usage_Entry
	 */
	public static function transcription_entry( string $model, ?array $usage, float $seconds ): array {
		return array(
			'endpoint' => '/audio/transcriptions',
			'model'    => $model,
			'usage'    => $usage,
			'seconds'  => $seconds,
		);
	}

	/**
	 * Every entry so far.
	 *
	 * @return list<Usage_Entry>
	 */
	public function entries(): array {
		return $this->entries;
	}
}

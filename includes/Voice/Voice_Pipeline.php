<?php
/**
 * What a voice pipeline does.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

defined( 'ABSPATH' ) || exit;

/**
 * Answers a voice turn as one JSON document or as events.
 *
 * Events, each sent through $emit (which returns false when the visitor is gone):
 * `transcript {text}` (the visitor's words), `delta {text}` (the reply's text), `audio {format:
 * "pcm16", sample_rate, data}` (base64 pieces of the spoken reply; the first also carries
 * `label`), `audio_error {code, message}` (the spoken reply failed, the text stands). The
 * controller adds `done` or `error`.
 *
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 * @phpstan-type Usage_Entry array{endpoint: string, model: string, usage: array<string, mixed>|null, seconds?: float, chars?: int}
 * @phpstan-type Voice_Answer array{transcript: string, reply: string, finish_reason: string, audio: array{format: string, data: string, label: string}|null, audio_error?: array{code: string, message: string}, usage: list<Usage_Entry>}
 * @phpstan-type Voice_Stream_Result array{finish_reason: string, aborted: bool, transcript: string, reply: string, audio_bytes: int, usage: list<Usage_Entry>}
 */
interface Voice_Pipeline {

	/**
	 * The pipeline's name: native or chained.
	 */
	public function name(): string;

	/**
	 * The whole answer.
	 *
	 * @param array $turn The voice turn.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-return Voice_Answer
	 * @throws \VoiceVisionChat\Upstream\Upstream_Error When the provider fails.
	 * @throws Voice_Error When the turn cannot be answered.
	 */
	public function answer( array $turn ): array;

	/**
	 * The answer as events, sent while it is produced.
	 *
	 * @param array    $turn The voice turn.
	 * @param callable $emit Sends one event; false when the visitor is gone.
	 * @return array
	 * @phpstan-param Voice_Turn $turn
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 * @phpstan-return Voice_Stream_Result
	 * @throws \VoiceVisionChat\Upstream\Upstream_Error When the provider fails.
	 * @throws Voice_Error When the turn cannot be answered.
	 */
	public function stream( array $turn, callable $emit ): array;
}

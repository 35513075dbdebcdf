<?php
/**
 * Stand-in prices (USD per 1M tokens) for the default tiers' models that ship without a
 * verified price, each copied from its predecessor, for the simulator only: the development
 * stack (dev-cost.php) and the PHP tests (Simulator::meter_freely()) use them so chat
 * requests may run. A real site enters real prices on the budget screen.
 *
 * @package VoiceVisionChat\Tests\Stack
 */

return array(
	'gpt-5.4-nano'   => array(
		'price' => array(
			'text_in'   => 0.05,
			'cached_in' => 0.005,
			'text_out'  => 0.40,
		),
	), // As gpt-5-nano.
	'gpt-5.4-mini'   => array(
		'price' => array(
			'text_in'   => 0.25,
			'cached_in' => 0.025,
			'text_out'  => 2.00,
		),
	), // As gpt-5-mini.
	'gpt-5.5'        => array(
		'price' => array(
			'text_in'   => 1.25,
			'cached_in' => 0.125,
			'text_out'  => 10.00,
		),
	), // As gpt-5.
	'gpt-audio-1.5'  => array(
		'price' => array(
			'text_in'   => 2.50,
			'text_out'  => 10.00,
			'audio_in'  => 32.00,
			'audio_out' => 64.00,
		),
	), // As gpt-audio.
	'gpt-transcribe' => array(
		'price' => array(
			'text_in'  => 2.50,
			'text_out' => 10.00,
			'audio_in' => 6.00,
		),
	), // As gpt-4o-transcribe.
);

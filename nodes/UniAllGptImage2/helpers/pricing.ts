import { PRICE_PER_IMAGE_USD, type Resolution } from './contract';

/**
 * Money is counted in integer units of 1e-5 USD (the published prices have five decimals), so
 * that adding per-image costs gives exactly the request cost with no floating-point drift.
 */
const UNITS_PER_USD = 100_000;

const toUnits = (usd: number) => Math.round(usd * UNITS_PER_USD);
export const unitsToUsd = (units: number) => units / UNITS_PER_USD;

export function pricePerImage(resolution: Resolution): number {
	return PRICE_PER_IMAGE_USD[resolution];
}

export function requestCostUnits(resolution: Resolution, images: number): number {
	return toUnits(PRICE_PER_IMAGE_USD[resolution]) * Math.max(0, images);
}

export function requestCost(resolution: Resolution, images: number): number {
	return unitsToUsd(requestCostUnits(resolution, images));
}

/**
 * Splits a request's cost over its delivered images. Normally every image costs the list price;
 * when the API reports its own figure, that figure wins and the remainder of the split goes to
 * the first images, so the per-image costs always add up to the request cost.
 */
export function splitCost(
	resolution: Resolution,
	delivered: number,
	reportedUsd?: number,
): { requestCost: number; perImage: number[] } {
	if (delivered <= 0) return { requestCost: 0, perImage: [] };
	const totalUnits =
		reportedUsd !== undefined && Number.isFinite(reportedUsd) && reportedUsd >= 0
			? toUnits(reportedUsd)
			: requestCostUnits(resolution, delivered);
	const base = Math.floor(totalUnits / delivered);
	const remainder = totalUnits - base * delivered;
	const perImage = Array.from({ length: delivered }, (_, i) =>
		unitsToUsd(base + (i < remainder ? 1 : 0)),
	);
	return { requestCost: unitsToUsd(totalUnits), perImage };
}

/** Sums USD amounts without drift (for running totals across items). */
export function addUsd(...amounts: number[]): number {
	return unitsToUsd(amounts.reduce((sum, usd) => sum + toUnits(usd), 0));
}

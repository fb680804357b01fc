// Which rules apply to a recipient's number: the US marketing pause (§8.3: +1 with a US area code) and the
// regions where the per-user marketing cap is not active (§8.3: EEA, UK, Japan, South Korea). Prefix tables only.

// NANP area codes that are NOT the United States: Canada, then the Caribbean and Atlantic members.
// Every other +1 area code (US states and US territories such as Puerto Rico or Guam) counts as US.
// Not exhaustive for future overlays; enough for the simulator.
const NON_US_NANP_AREA_CODES = new Set([
  // Canada
  '204', '226', '236', '249', '250', '257', '263', '289', '306', '343', '354', '365', '367', '368', '382', '403', '416', '418',
  '428', '431', '437', '438', '450', '460', '468', '474', '506', '514', '519', '548', '579', '581', '584', '587', '604', '613',
  '639', '647', '672', '683', '705', '709', '742', '753', '778', '780', '782', '807', '819', '825', '867', '873', '879', '902', '905',
  // Caribbean and Atlantic
  '242', '246', '264', '268', '284', '345', '441', '473', '649', '658', '664', '721', '758', '767', '784', '809', '829', '849', '868', '869', '876',
]);

// Calling codes of the EEA, the UK, Japan and South Korea (§8.3: the per-user marketing cap is not active there).
const CAP_EXEMPT_THREE_DIGIT = new Set(['351', '352', '353', '354', '356', '357', '358', '359', '370', '371', '372', '385', '386', '420', '421', '423']);
const CAP_EXEMPT_TWO_DIGIT = new Set(['30', '31', '32', '33', '34', '36', '39', '40', '43', '44', '45', '46', '47', '48', '49', '81', '82']);

/** `waId` is the number in digits, without "+". */
export function isUsNumber(waId: string): boolean {
  return waId.length === 11 && waId.startsWith('1') && !NON_US_NANP_AREA_CODES.has(waId.slice(1, 4));
}

export function isMarketingCapExempt(waId: string): boolean {
  return CAP_EXEMPT_THREE_DIGIT.has(waId.slice(0, 3)) || CAP_EXEMPT_TWO_DIGIT.has(waId.slice(0, 2));
}

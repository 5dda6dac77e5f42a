// Reference data for the airports the airline serves. Coordinates are the airports' published
// reference points (WGS 84, 4 decimals, about 10 m); they only feed great-circle distances,
// which in turn feed block times and base fares, so small errors do not matter.

/** A point on the globe in decimal degrees (north and east positive). */
export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** An airport the airline serves. */
export interface Airport extends GeoPoint {
  /** IATA location code, three capital letters. */
  readonly code: string;
  readonly name: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /** IANA time zone the airport keeps its clocks in; local schedule times are in this zone. */
  readonly timeZone: string;
}

/** Every airport in the network, the largest hubs first. */
export const AIRPORTS: readonly Airport[] = Object.freeze(
  (
    [
      {
        code: 'ATL',
        name: 'Hartsfield-Jackson Atlanta International Airport',
        city: 'Atlanta',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 33.6407,
        longitude: -84.4277,
      },
      {
        code: 'DXB',
        name: 'Dubai International Airport',
        city: 'Dubai',
        country: 'AE',
        timeZone: 'Asia/Dubai',
        latitude: 25.2532,
        longitude: 55.3657,
      },
      {
        code: 'DFW',
        name: 'Dallas Fort Worth International Airport',
        city: 'Dallas',
        country: 'US',
        timeZone: 'America/Chicago',
        latitude: 32.8998,
        longitude: -97.0403,
      },
      {
        code: 'LHR',
        name: 'London Heathrow Airport',
        city: 'London',
        country: 'GB',
        timeZone: 'Europe/London',
        latitude: 51.47,
        longitude: -0.4543,
      },
      {
        code: 'HND',
        name: 'Tokyo Haneda Airport',
        city: 'Tokyo',
        country: 'JP',
        timeZone: 'Asia/Tokyo',
        latitude: 35.5494,
        longitude: 139.7798,
      },
      {
        code: 'DEN',
        name: 'Denver International Airport',
        city: 'Denver',
        country: 'US',
        timeZone: 'America/Denver',
        latitude: 39.8561,
        longitude: -104.6737,
      },
      {
        code: 'IST',
        name: 'Istanbul Airport',
        city: 'Istanbul',
        country: 'TR',
        timeZone: 'Europe/Istanbul',
        latitude: 41.2753,
        longitude: 28.7519,
      },
      {
        code: 'LAX',
        name: 'Los Angeles International Airport',
        city: 'Los Angeles',
        country: 'US',
        timeZone: 'America/Los_Angeles',
        latitude: 33.9416,
        longitude: -118.4085,
      },
      {
        code: 'ORD',
        name: "Chicago O'Hare International Airport",
        city: 'Chicago',
        country: 'US',
        timeZone: 'America/Chicago',
        latitude: 41.9742,
        longitude: -87.9073,
      },
      {
        code: 'DEL',
        name: 'Indira Gandhi International Airport',
        city: 'New Delhi',
        country: 'IN',
        timeZone: 'Asia/Kolkata',
        latitude: 28.5562,
        longitude: 77.1,
      },
      {
        code: 'CDG',
        name: 'Paris Charles de Gaulle Airport',
        city: 'Paris',
        country: 'FR',
        timeZone: 'Europe/Paris',
        latitude: 49.0097,
        longitude: 2.5479,
      },
      {
        code: 'JFK',
        name: 'John F. Kennedy International Airport',
        city: 'New York',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 40.6413,
        longitude: -73.7781,
      },
      {
        code: 'AMS',
        name: 'Amsterdam Airport Schiphol',
        city: 'Amsterdam',
        country: 'NL',
        timeZone: 'Europe/Amsterdam',
        latitude: 52.3105,
        longitude: 4.7683,
      },
      {
        code: 'FRA',
        name: 'Frankfurt Airport',
        city: 'Frankfurt',
        country: 'DE',
        timeZone: 'Europe/Berlin',
        latitude: 50.0379,
        longitude: 8.5622,
      },
      {
        code: 'MAD',
        name: 'Adolfo Suárez Madrid-Barajas Airport',
        city: 'Madrid',
        country: 'ES',
        timeZone: 'Europe/Madrid',
        latitude: 40.4983,
        longitude: -3.5676,
      },
      {
        code: 'BCN',
        name: 'Josep Tarradellas Barcelona-El Prat Airport',
        city: 'Barcelona',
        country: 'ES',
        timeZone: 'Europe/Madrid',
        latitude: 41.2974,
        longitude: 2.0833,
      },
      {
        code: 'SIN',
        name: 'Singapore Changi Airport',
        city: 'Singapore',
        country: 'SG',
        timeZone: 'Asia/Singapore',
        latitude: 1.3644,
        longitude: 103.9915,
      },
      {
        code: 'ICN',
        name: 'Incheon International Airport',
        city: 'Seoul',
        country: 'KR',
        timeZone: 'Asia/Seoul',
        latitude: 37.4602,
        longitude: 126.4407,
      },
      {
        code: 'HKG',
        name: 'Hong Kong International Airport',
        city: 'Hong Kong',
        country: 'HK',
        timeZone: 'Asia/Hong_Kong',
        latitude: 22.308,
        longitude: 113.9185,
      },
      {
        code: 'SFO',
        name: 'San Francisco International Airport',
        city: 'San Francisco',
        country: 'US',
        timeZone: 'America/Los_Angeles',
        latitude: 37.6213,
        longitude: -122.379,
      },
      {
        code: 'SEA',
        name: 'Seattle-Tacoma International Airport',
        city: 'Seattle',
        country: 'US',
        timeZone: 'America/Los_Angeles',
        latitude: 47.4502,
        longitude: -122.3088,
      },
      {
        code: 'MIA',
        name: 'Miami International Airport',
        city: 'Miami',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 25.7959,
        longitude: -80.287,
      },
      {
        code: 'LAS',
        name: 'Harry Reid International Airport',
        city: 'Las Vegas',
        country: 'US',
        timeZone: 'America/Los_Angeles',
        latitude: 36.084,
        longitude: -115.1537,
      },
      {
        code: 'BOS',
        name: 'Boston Logan International Airport',
        city: 'Boston',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 42.3656,
        longitude: -71.0096,
      },
      {
        code: 'YYZ',
        name: 'Toronto Pearson International Airport',
        city: 'Toronto',
        country: 'CA',
        timeZone: 'America/Toronto',
        latitude: 43.6777,
        longitude: -79.6248,
      },
      {
        code: 'MEX',
        name: 'Mexico City International Airport',
        city: 'Mexico City',
        country: 'MX',
        timeZone: 'America/Mexico_City',
        latitude: 19.4361,
        longitude: -99.0719,
      },
      {
        code: 'GRU',
        name: 'São Paulo/Guarulhos International Airport',
        city: 'São Paulo',
        country: 'BR',
        timeZone: 'America/Sao_Paulo',
        latitude: -23.4356,
        longitude: -46.4731,
      },
      {
        code: 'SYD',
        name: 'Sydney Kingsford Smith Airport',
        city: 'Sydney',
        country: 'AU',
        timeZone: 'Australia/Sydney',
        latitude: -33.9399,
        longitude: 151.1753,
      },
      {
        code: 'DOH',
        name: 'Hamad International Airport',
        city: 'Doha',
        country: 'QA',
        timeZone: 'Asia/Qatar',
        latitude: 25.2731,
        longitude: 51.6081,
      },
      {
        code: 'MUC',
        name: 'Munich Airport',
        city: 'Munich',
        country: 'DE',
        timeZone: 'Europe/Berlin',
        latitude: 48.3537,
        longitude: 11.775,
      },
      {
        code: 'FCO',
        name: 'Rome Fiumicino Airport',
        city: 'Rome',
        country: 'IT',
        timeZone: 'Europe/Rome',
        latitude: 41.8003,
        longitude: 12.2389,
      },
      {
        code: 'ZRH',
        name: 'Zurich Airport',
        city: 'Zurich',
        country: 'CH',
        timeZone: 'Europe/Zurich',
        latitude: 47.4582,
        longitude: 8.5555,
      },
      {
        code: 'VIE',
        name: 'Vienna International Airport',
        city: 'Vienna',
        country: 'AT',
        timeZone: 'Europe/Vienna',
        latitude: 48.1103,
        longitude: 16.5697,
      },
      {
        code: 'CPH',
        name: 'Copenhagen Airport',
        city: 'Copenhagen',
        country: 'DK',
        timeZone: 'Europe/Copenhagen',
        latitude: 55.618,
        longitude: 12.6508,
      },
      {
        code: 'DUB',
        name: 'Dublin Airport',
        city: 'Dublin',
        country: 'IE',
        timeZone: 'Europe/Dublin',
        latitude: 53.4264,
        longitude: -6.2499,
      },
      {
        code: 'LIS',
        name: 'Lisbon Humberto Delgado Airport',
        city: 'Lisbon',
        country: 'PT',
        timeZone: 'Europe/Lisbon',
        latitude: 38.7742,
        longitude: -9.1342,
      },
      {
        code: 'BKK',
        name: 'Suvarnabhumi Airport',
        city: 'Bangkok',
        country: 'TH',
        timeZone: 'Asia/Bangkok',
        latitude: 13.69,
        longitude: 100.7501,
      },
      {
        code: 'KUL',
        name: 'Kuala Lumpur International Airport',
        city: 'Kuala Lumpur',
        country: 'MY',
        timeZone: 'Asia/Kuala_Lumpur',
        latitude: 2.7456,
        longitude: 101.7072,
      },
      {
        code: 'PEK',
        name: 'Beijing Capital International Airport',
        city: 'Beijing',
        country: 'CN',
        timeZone: 'Asia/Shanghai',
        latitude: 40.0799,
        longitude: 116.6031,
      },
      {
        code: 'PVG',
        name: 'Shanghai Pudong International Airport',
        city: 'Shanghai',
        country: 'CN',
        timeZone: 'Asia/Shanghai',
        latitude: 31.1443,
        longitude: 121.8083,
      },
      {
        code: 'NRT',
        name: 'Narita International Airport',
        city: 'Tokyo',
        country: 'JP',
        timeZone: 'Asia/Tokyo',
        latitude: 35.772,
        longitude: 140.3929,
      },
      {
        code: 'EWR',
        name: 'Newark Liberty International Airport',
        city: 'Newark',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 40.6895,
        longitude: -74.1745,
      },
      {
        code: 'MCO',
        name: 'Orlando International Airport',
        city: 'Orlando',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 28.4312,
        longitude: -81.3081,
      },
      {
        code: 'CLT',
        name: 'Charlotte Douglas International Airport',
        city: 'Charlotte',
        country: 'US',
        timeZone: 'America/New_York',
        latitude: 35.214,
        longitude: -80.9431,
      },
      {
        code: 'PHX',
        name: 'Phoenix Sky Harbor International Airport',
        city: 'Phoenix',
        country: 'US',
        timeZone: 'America/Phoenix',
        latitude: 33.4352,
        longitude: -112.0101,
      },
      {
        code: 'IAH',
        name: 'George Bush Intercontinental Airport',
        city: 'Houston',
        country: 'US',
        timeZone: 'America/Chicago',
        latitude: 29.9902,
        longitude: -95.3368,
      },
      {
        code: 'MSP',
        name: 'Minneapolis-Saint Paul International Airport',
        city: 'Minneapolis',
        country: 'US',
        timeZone: 'America/Chicago',
        latitude: 44.8848,
        longitude: -93.2223,
      },
      {
        code: 'YVR',
        name: 'Vancouver International Airport',
        city: 'Vancouver',
        country: 'CA',
        timeZone: 'America/Vancouver',
        latitude: 49.1967,
        longitude: -123.1815,
      },
      {
        code: 'BOM',
        name: 'Chhatrapati Shivaji Maharaj International Airport',
        city: 'Mumbai',
        country: 'IN',
        timeZone: 'Asia/Kolkata',
        latitude: 19.0896,
        longitude: 72.8656,
      },
      {
        code: 'JNB',
        name: 'O. R. Tambo International Airport',
        city: 'Johannesburg',
        country: 'ZA',
        timeZone: 'Africa/Johannesburg',
        latitude: -26.1392,
        longitude: 28.246,
      },
      {
        code: 'MEL',
        name: 'Melbourne Airport',
        city: 'Melbourne',
        country: 'AU',
        timeZone: 'Australia/Melbourne',
        latitude: -37.669,
        longitude: 144.841,
      },
      {
        code: 'AKL',
        name: 'Auckland Airport',
        city: 'Auckland',
        country: 'NZ',
        timeZone: 'Pacific/Auckland',
        latitude: -37.0082,
        longitude: 174.785,
      },
    ] satisfies Airport[]
  ).map((airport) => Object.freeze(airport)),
);

const byCode: ReadonlyMap<string, Airport> = new Map(AIRPORTS.map((a) => [a.code, a]));

/** The airport with this IATA code, or undefined; case-sensitive, like the stored codes. */
export function findAirport(code: string): Airport | undefined {
  return byCode.get(code);
}

/** The airport with this IATA code; throws for a code the network does not serve. */
export function getAirport(code: string): Airport {
  const airport = byCode.get(code);
  if (!airport) throw new RangeError(`Unknown airport '${code}'`);
  return airport;
}

/** Whether the network serves an airport with this IATA code. */
export function isAirportCode(code: string): boolean {
  return byCode.has(code);
}

// IUGG mean Earth radius: the sphere that minimises the error of haversine distances overall.
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance between two points in kilometres. */
export function greatCircleKm(from: GeoPoint, to: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (to.latitude - from.latitude) * rad;
  const dLon = (to.longitude - from.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(from.latitude * rad) * Math.cos(to.latitude * rad) * Math.sin(dLon / 2) ** 2;
  // min() guards asin against h drifting a hair above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in whole kilometres between two served airports, by IATA code. */
export function distanceKmBetween(originCode: string, destinationCode: string): number {
  return Math.round(greatCircleKm(getAirport(originCode), getAirport(destinationCode)));
}
